#pragma once

#include "http/http_client.h"
#include "security/signature.h"
#include "security/test_ca.h"

#include <QHash>
#include <QStringList>
#include <functional>
#include <memory>

namespace dipwb::testsupport {

/// Signs test requests the way a participant's system would: with the certificate the workspace's
/// test CA issued to the DIP id the request speaks for. The CA is created in the test's workspace
/// before the emulator starts, so `dipwb serve` trusts it. Certificates are issued on first use,
/// also for DIP ids that are not participants (the emulator then rejects them on other grounds).
class RequestSigner
{
public:
    /// Creates (or reuses) the CA under <workspace>/certificates.
    bool init(const QString &workspace, QString *error = nullptr);
    security::WorkspaceCa &ca() { return *m_ca; }
    /// The identity of dipId, issued now if needed; null on failure.
    security::IdentityPtr identity(const QString &dipId);
    /// Adds the four X-DIP-* headers for the request's sender (claimedSenders), or for
    /// fallbackDipId when the request names none.
    void sign(http::ClientRequest &request);
    std::function<void(http::ClientRequest &)> decorator();
    /// The signature headers as curl -H arguments ("Name: value").
    QStringList curlHeaders(const QByteArray &method, const QString &url, const QByteArray &body);

    QString fallbackDipId = QStringLiteral("1100000001");

private:
    std::unique_ptr<security::WorkspaceCa> m_ca;
    QHash<QString, security::IdentityPtr> m_identities;
};

} // namespace dipwb::testsupport
