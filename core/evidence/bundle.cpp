// SPDX-License-Identifier: GPL-3.0-or-later
#include "evidence/bundle.h"

#include "common/dip_time.h"
#include "common/json_util.h"
#include "evidence/journal_extract.h"
#include "evidence/zip_io.h"
#include "security/detached_signature.h"

#include <QCryptographicHash>
#include <QDateTime>

namespace dipwb::evidence {

namespace {

QString safeName(const QString &s)
{
    QString out;
    for (QChar c : s)
        out += c.isLetterOrNumber() || c == QLatin1Char('-') ? c : QLatin1Char('_');
    return out;
}

// The API key is a shared secret of the workspace: a bundle that leaves it must not carry it.
QByteArray redactedHeaders(const QByteArray &headers)
{
    QList<QByteArray> lines = headers.split('\n');
    for (QByteArray &line : lines)
        if (line.toLower().startsWith("x-api-key:"))
            line = line.left(line.indexOf(':') + 1) + " (removed from the evidence)";
    return lines.join('\n');
}

QByteArray requestText(const store::RequestRecord &r)
{
    return "received: " + dt::formatIsoMsZ(r.receivedMs).toUtf8() + "\n" + r.method.toUtf8() + ' ' + r.path.toUtf8() + "\n"
        + "answer: " + QByteArray::number(r.httpStatus) + ' ' + r.outcome.toUtf8() + "\nsignature: " + r.signature.toUtf8()
        + "\n\n" + redactedHeaders(r.headers);
}

ZipEntries contentOf(const EvidenceData &e, const BundleReports &reports)
{
    ZipEntries files;
    files << qMakePair(QStringLiteral("report/report.html"), reports.html) << qMakePair(QStringLiteral("report/report.pdf"), reports.pdf)
          << qMakePair(QStringLiteral("results/results.json"), reports.resultsJson)
          << qMakePair(QStringLiteral("results/junit.xml"), reports.junitXml);
    for (const auto &m : e.messages) {
        const QString dir = QStringLiteral("messages/%1-request-%2/").arg(m.number, 3, 10, QLatin1Char('0')).arg(m.request.id);
        files << qMakePair(dir + QStringLiteral("received-body.json"), m.request.body)
              << qMakePair(dir + QStringLiteral("received-request.txt"), requestText(m.request))
              << qMakePair(dir + QStringLiteral("answer-body.json"), m.request.response);
        for (const auto &d : m.deliveries)
            files << qMakePair(dir + QStringLiteral("delivered-%1-%2-%3.json").arg(d.id).arg(safeName(d.recipientDipId), safeName(d.reason)), d.body);
    }
    files << qMakePair(QString::fromLatin1(kJournalFile), journalExtractJsonl(e.journal, e.involvedJournalIds));
    return files;
}

} // namespace

bool writeBundle(const QString &zipPath, const EvidenceData &e, const BundleReports &reports, const BundleSigner *signer, QString *error)
{
    ZipEntries files = contentOf(e, reports);
    OJson list = OJson::array();
    for (const auto &[name, bytes] : std::as_const(files))
        list.push_back({{"path", ss(name)},
                        {"sha256", QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex().toStdString()},
                        {"bytes", bytes.size()}});
    OJson manifest = {{"format", kBundleFormat},
                      {"formatVersion", 1},
                      {"created", ss(dt::formatDt003Utc(e.generatedMs))},
                      {"workbenchVersion", ss(e.workbenchVersion)},
                      {"host", ss(e.host)},
                      {"run", {{"id", e.run.runId}, {"pack", ss(e.run.packId)}, {"packVersion", ss(e.run.packVersion)},
                               {"passed", e.run.allPassed()},
                               {"selection", e.selection.isSelection ? OJson(ss(e.selection.description)) : OJson(nullptr)}}},
                      {"journal", {{"file", kJournalFile},
                                   {"rows", e.journal.size()},
                                   {"firstId", e.journal.isEmpty() ? 0 : e.journal.first().id},
                                   {"lastId", e.journal.isEmpty() ? 0 : e.journal.last().id},
                                   {"firstPrevHash", e.journal.isEmpty() ? std::string() : e.journal.first().prevHash.toStdString()},
                                   {"head", e.journal.isEmpty() ? std::string() : e.journal.last().hash.toStdString()},
                                   {"runHead", ss(e.runJournalHead)},
                                   {"workspaceHeadAtExport", ss(e.workspaceJournalHead)},
                                   {"hashRule", "hash = hex(SHA-256(prevHash + \"|\" + id|atMs|requestId|messageId|deliveryId|stage|status|detail))"}}},
                      {"files", list}};
    if (signer) {
        manifest["signature"] = {{"file", kSignatureFile},
                                 {"certificate", kSignerCertFile},
                                 {"ca", kCaCertFile},
                                 {"signer", ss(signer->identity->dipId())},
                                 {"certificateSha256", security::certificateSha256(signer->identity->certificatePem()).toStdString()},
                                 {"algorithm", "RSA PKCS#1 v1.5 with SHA-256 over the bytes of manifest.json"}};
    }
    const QByteArray manifestBytes = qb(manifest.dump(2)) + '\n';
    ZipEntries entries;
    entries << qMakePair(QString::fromLatin1(kManifestFile), manifestBytes);
    if (signer) {
        QString why;
        const QByteArray signature = signer->identity->sign(manifestBytes, &why);
        if (signature.isEmpty()) {
            *error = QStringLiteral("cannot sign the manifest as %1: %2").arg(signer->identity->dipId(), why);
            return false;
        }
        entries << qMakePair(QString::fromLatin1(kSignatureFile), signature)
                << qMakePair(QString::fromLatin1(kSignerCertFile), signer->identity->certificatePem())
                << qMakePair(QString::fromLatin1(kCaCertFile), signer->caPem);
    }
    entries << files;
    return writeZip(zipPath, entries, QDateTime::fromMSecsSinceEpoch(e.generatedMs, Qt::UTC), error);
}

} // namespace dipwb::evidence
