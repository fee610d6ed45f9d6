// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "evidence/evidence.h"
#include "security/signature.h"

#include <QByteArray>
#include <QString>

namespace dipwb::evidence {

/// Names inside a bundle (docs/evidence.md describes the layout).
inline constexpr char kManifestFile[] = "manifest.json";
inline constexpr char kSignatureFile[] = "manifest.sig";
inline constexpr char kSignerCertFile[] = "signer-cert.pem";
inline constexpr char kCaCertFile[] = "ca-cert.pem";
inline constexpr char kJournalFile[] = "journal/journal.jsonl";
inline constexpr char kBundleFormat[] = "dipwb-evidence-bundle";

/// The rendered forms a bundle carries besides the messages and the journal.
struct BundleReports
{
    QByteArray html, pdf, resultsJson, junitXml;
};

/// Who signs the manifest: a workspace identity and the CA that issued it (copied into the bundle
/// so it can be checked by hand; trust still comes from the reviewer's own copy of the CA).
struct BundleSigner
{
    security::IdentityPtr identity;
    QByteArray caPem;
};

/// Writes the evidence bundle (one zip): reports, results, every message as received and as
/// delivered, the journal extract, manifest.json with the SHA-256 of each file and the journal
/// head, and, with a signer, manifest.sig over manifest.json with the signer's certificate.
bool writeBundle(const QString &zipPath, const EvidenceData &e, const BundleReports &reports, const BundleSigner *signer,
                 QString *error);

} // namespace dipwb::evidence
