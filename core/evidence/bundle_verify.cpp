// SPDX-License-Identifier: GPL-3.0-or-later
#include "evidence/bundle_verify.h"

#include "common/json_util.h"
#include "evidence/bundle.h"
#include "evidence/journal_extract.h"
#include "evidence/zip_io.h"
#include "security/detached_signature.h"

#include <QCryptographicHash>
#include <QHash>
#include <QSet>

namespace dipwb::evidence {

namespace {

using Kind = BundleProblem::Kind;

void checkSignature(const OJson &manifest, const QHash<QString, QByteArray> &files, const QByteArray &trustedCaPem,
                    BundleVerification &v)
{
    const QString sigFile = QString::fromLatin1(kSignatureFile), certFile = QString::fromLatin1(kSignerCertFile),
                  caFile = QString::fromLatin1(kCaCertFile);
    const bool hasBlock = manifest.contains("signature") && manifest["signature"].is_object();
    if (!hasBlock) {
        if (files.contains(sigFile)) {
            v.signature = BundleVerification::Signature::Invalid;
            v.signatureDetail = QStringLiteral("manifest.sig is present but the manifest names no signer");
            v.problems << BundleProblem{Kind::Signature, sigFile, v.signatureDetail};
        } else {
            v.signatureDetail = QStringLiteral("not signed");
        }
        return;
    }
    const auto fail = [&](const QString &subject, const QString &why) {
        v.signature = BundleVerification::Signature::Invalid;
        v.signatureDetail = why;
        v.problems << BundleProblem{Kind::Signature, subject, why};
    };
    for (const QString &f : {sigFile, certFile})
        if (!files.contains(f))
            return fail(f, QStringLiteral("%1 is missing: the signature cannot be checked").arg(f));
    const QByteArray cert = files.value(certFile);
    const QString expectedCert = stringAt(manifest["signature"], "certificateSha256");
    const QByteArray foundCert = security::certificateSha256(cert);
    if (QString::fromLatin1(foundCert) != expectedCert)
        return fail(certFile, QStringLiteral("%1 is not the certificate the manifest names (SHA-256 %2, manifest says %3)")
                                  .arg(certFile, QString::fromLatin1(foundCert), expectedCert));
    const QByteArray ca = trustedCaPem.isEmpty() ? files.value(caFile) : trustedCaPem;
    const security::DetachedCheck c = security::verifyDetached(files.value(QString::fromLatin1(kManifestFile)), files.value(sigFile), cert, ca);
    if (!c.signatureValid)
        return fail(sigFile, QStringLiteral("the signature over manifest.json does not hold: %1").arg(c.detail));
    if (!c.issuerValid)
        return fail(trustedCaPem.isEmpty() ? caFile : QStringLiteral("--ca"), c.detail);
    v.signature = BundleVerification::Signature::Valid;
    v.signatureDetail = QStringLiteral("valid: signed by %1 (certificate SHA-256 %2), issued by %3")
                            .arg(c.signerId, QString::fromLatin1(foundCert),
                                 trustedCaPem.isEmpty() ? QStringLiteral("the CA in the bundle (pass --ca to check against a CA you trust)")
                                                        : QStringLiteral("the trusted CA given"));
}

} // namespace

BundleVerification verifyBundle(const QString &zipPath, const QByteArray &trustedCaPem)
{
    BundleVerification v;
    QString error;
    const auto entries = readZip(zipPath, &error);
    if (!entries) {
        v.problems << BundleProblem{Kind::Unreadable, zipPath, error};
        return v;
    }
    QHash<QString, QByteArray> files;
    for (const auto &[name, bytes] : *entries) {
        if (files.contains(name))
            v.problems << BundleProblem{Kind::FileUnlisted, name, QStringLiteral("%1 appears twice in the zip").arg(name)};
        files.insert(name, bytes);
    }
    const QString manifestName = QString::fromLatin1(kManifestFile);
    if (!files.contains(manifestName)) {
        v.problems << BundleProblem{Kind::Manifest, manifestName, QStringLiteral("the bundle has no manifest.json")};
        return v;
    }
    const QByteArray mb = files.value(manifestName);
    const OJson manifest = OJson::parse(mb.constData(), mb.constData() + mb.size(), nullptr, false);
    if (!manifest.is_object() || stringAt(manifest, "format") != QLatin1String(kBundleFormat) || !manifest.contains("files")
        || !manifest["files"].is_array()) {
        v.problems << BundleProblem{Kind::Manifest, manifestName, QStringLiteral("manifest.json is not an evidence bundle manifest")};
        return v;
    }
    if (manifest.contains("run") && manifest["run"].is_object() && !stringAt(manifest["run"], "selection").isEmpty())
        v.runSummary = stringAt(manifest["run"], "selection");
    else if (manifest.contains("run") && manifest["run"].is_object())
        v.runSummary = QStringLiteral("run %1 of %2 %3")
                           .arg(manifest["run"].value("id", qint64(0)))
                           .arg(stringAt(manifest["run"], "pack"), stringAt(manifest["run"], "packVersion"));

    QSet<QString> listed{manifestName, QString::fromLatin1(kSignatureFile), QString::fromLatin1(kSignerCertFile),
                         QString::fromLatin1(kCaCertFile)};
    for (const auto &f : manifest["files"]) {
        const QString path = stringAt(f, "path");
        const QString expected = stringAt(f, "sha256");
        listed.insert(path);
        if (!files.contains(path)) {
            v.problems << BundleProblem{Kind::FileMissing, path, QStringLiteral("%1 is listed in the manifest but missing from the bundle").arg(path)};
            continue;
        }
        ++v.filesChecked;
        const QString found = QString::fromLatin1(QCryptographicHash::hash(files.value(path), QCryptographicHash::Sha256).toHex());
        if (found != expected)
            v.problems << BundleProblem{Kind::FileAltered, path,
                                        QStringLiteral("%1 was altered: SHA-256 %2, the manifest says %3").arg(path, found, expected)};
    }
    for (auto it = files.cbegin(); it != files.cend(); ++it)
        if (!listed.contains(it.key()))
            v.problems << BundleProblem{Kind::FileUnlisted, it.key(), QStringLiteral("%1 is not listed in the manifest").arg(it.key())};

    const OJson journal = manifest.value("journal", OJson::object());
    const QString journalFile = stringAt(journal, "file");
    v.journalHead = stringAt(journal, "head");
    v.journalRows = journal.value("rows", 0);
    if (files.contains(journalFile)) {
        // Re-hashed even when the file's SHA-256 already failed: this names the row that changed.
        for (const JournalProblem &p : verifyJournalExtract(files.value(journalFile), v.journalHead, v.journalRows))
            v.problems << BundleProblem{p.rowId ? Kind::JournalRow : Kind::Journal,
                                        p.rowId ? QStringLiteral("journal row %1").arg(p.rowId) : journalFile, p.detail};
    }
    checkSignature(manifest, files, trustedCaPem, v);
    return v;
}

QString BundleVerification::text() const
{
    QString s;
    if (!runSummary.isEmpty())
        s += QStringLiteral("Evidence bundle of %1\n").arg(runSummary);
    s += QStringLiteral("files: %1 checked against the manifest\n").arg(filesChecked);
    s += QStringLiteral("journal: %1 rows re-hashed, head %2\n").arg(journalRows).arg(journalHead.isEmpty() ? QStringLiteral("(none)") : journalHead);
    s += QStringLiteral("signature: %1\n").arg(signatureDetail);
    for (const auto &p : problems)
        s += QStringLiteral("FAIL %1: %2\n").arg(p.subject, p.detail);
    s += intact() ? QStringLiteral("INTACT\n") : QStringLiteral("NOT INTACT: %1 problem%2\n").arg(problems.size()).arg(problems.size() == 1 ? QString() : QStringLiteral("s"));
    return s;
}

} // namespace dipwb::evidence
