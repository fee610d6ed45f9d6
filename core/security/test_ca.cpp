// SPDX-License-Identifier: GPL-3.0-or-later
#include "security/test_ca.h"

#include "common/log.h"
#include "security/openssl_util.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSaveFile>

#include <openssl/pkcs12.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

namespace dipwb::security {

namespace {

bool writeFile(const QString &path, const QByteArray &data, bool secret, QString *error)
{
    if (!QDir().mkpath(QFileInfo(path).absolutePath())) {
        if (error)
            *error = QStringLiteral("cannot create the folder of %1").arg(path);
        return false;
    }
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly)) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(path, f.errorString());
        return false;
    }
    // Permissions are set before any secret byte is written, so a key is never world-readable.
    if (secret)
        f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    if (f.write(data) != data.size() || !f.commit()) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(path, f.errorString());
        return false;
    }
    return true;
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool addExtension(X509 *cert, X509 *issuer, int nid, const QString &value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.toUtf8().constData());
    if (!ext)
        return false;
    const bool ok = X509_add_ext(cert, ext, -1) == 1;
    X509_EXTENSION_free(ext);
    return ok;
}

struct Made
{
    ossl::Cert cert;
    ossl::Pkey key;
};

// One certificate: a fresh RSA key, random serial, subject CN/O, the given extensions, signed by the
// issuer (itself when issuer is null: the CA).
Made make(const QString &cn, const QString &org, int bits, int backdateDays, int validityDays, X509 *issuer,
          EVP_PKEY *issuerKey, const QList<QPair<int, QString>> &extensions, QString *error)
{
    Made m;
    m.key.reset(EVP_RSA_gen(unsigned(bits)));
    m.cert.reset(X509_new());
    if (!m.key || !m.cert) {
        if (error)
            *error = QStringLiteral("cannot generate an RSA key: ") + ossl::lastError();
        return {};
    }
    X509 *c = m.cert.get();
    X509_set_version(c, 2);
    unsigned char serial[16];
    RAND_bytes(serial, sizeof serial);
    serial[0] &= 0x7f;  // positive, as RFC 5280 asks
    BIGNUM *bn = BN_bin2bn(serial, sizeof serial, nullptr);
    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(c));
    BN_free(bn);
    X509_gmtime_adj(X509_getm_notBefore(c), -long(backdateDays) * 86400);
    X509_gmtime_adj(X509_getm_notAfter(c), (long(validityDays) - long(backdateDays)) * 86400);
    X509_set_pubkey(c, m.key.get());
    X509_NAME *name = X509_get_subject_name(c);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char *>(cn.toUtf8().constData()), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char *>(org.toUtf8().constData()), -1, -1, 0);
    X509_set_issuer_name(c, issuer ? X509_get_subject_name(issuer) : name);
    for (const auto &[nid, value] : extensions)
        if (!addExtension(c, issuer ? issuer : c, nid, value)) {
            if (error)
                *error = QStringLiteral("cannot add extension %1: %2").arg(value, ossl::lastError());
            return {};
        }
    if (X509_sign(c, issuerKey ? issuerKey : m.key.get(), EVP_sha256()) == 0) {
        if (error)
            *error = QStringLiteral("cannot sign the certificate: ") + ossl::lastError();
        return {};
    }
    return m;
}

QString sanList(const WorkspaceCa::IssueOptions &o, const QString &dipId)
{
    QStringList san;
    for (const QString &d : o.dnsNames)
        san << QStringLiteral("DNS:") + d;
    for (const QString &ip : o.ipAddresses)
        san << QStringLiteral("IP:") + ip;
    if (!dipId.isEmpty())
        san << QStringLiteral("URI:urn:dipwb:dip-id:") + dipId;
    return san.join(QLatin1Char(','));
}

QList<QPair<int, QString>> leafExtensions(const WorkspaceCa::IssueOptions &o, const QString &dipId)
{
    QList<QPair<int, QString>> ext{{NID_basic_constraints, QStringLiteral("critical,CA:FALSE")},
                                   {NID_key_usage, QStringLiteral("critical,digitalSignature,keyEncipherment")},
                                   {NID_ext_key_usage, QStringLiteral("clientAuth,serverAuth")},
                                   {NID_subject_key_identifier, QStringLiteral("hash")},
                                   {NID_authority_key_identifier, QStringLiteral("keyid")}};
    const QString san = sanList(o, dipId);
    if (!san.isEmpty())
        ext.append({NID_subject_alt_name, san});
    return ext;
}

} // namespace

WorkspaceCa::WorkspaceCa(QString certificatesDir)
    : m_dir(std::move(certificatesDir))
{
}

QString WorkspaceCa::caCertPath() const { return m_dir + QStringLiteral("/ca/ca-cert.pem"); }
QString WorkspaceCa::caKeyPath() const { return m_dir + QStringLiteral("/ca/ca-key.pem"); }
QString WorkspaceCa::serverCertPath() const { return m_dir + QStringLiteral("/emulator/server-cert.pem"); }
QString WorkspaceCa::serverKeyPath() const { return m_dir + QStringLiteral("/emulator/server-key.pem"); }
QString WorkspaceCa::signingCertPath() const { return m_dir + QStringLiteral("/emulator/signing-cert.pem"); }
QString WorkspaceCa::signingKeyPath() const { return m_dir + QStringLiteral("/emulator/signing-key.pem"); }
QString WorkspaceCa::participantDir(const QString &dipId) const { return m_dir + QStringLiteral("/participants/") + dipId; }
QString WorkspaceCa::participantCertPath(const QString &dipId) const { return participantDir(dipId) + QStringLiteral("/cert.pem"); }
QString WorkspaceCa::participantKeyPath(const QString &dipId) const { return participantDir(dipId) + QStringLiteral("/key.pem"); }
QString WorkspaceCa::participantPfxPath(const QString &dipId) const { return participantDir(dipId) + QStringLiteral("/bundle.pfx"); }
QString WorkspaceCa::participantApiKeyPath(const QString &dipId) const { return participantDir(dipId) + QStringLiteral("/api-key"); }

bool WorkspaceCa::isDipIdName(const QString &dipId)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9]{1,40}$"));
    return re.match(dipId).hasMatch();
}

bool WorkspaceCa::exists() const
{
    return QFileInfo::exists(caCertPath()) && QFileInfo::exists(caKeyPath());
}

bool WorkspaceCa::init(const QString &emulatorDipId, QString *error, bool force)
{
    if (!exists() || force) {
        Made ca = make(QStringLiteral("DIP Workbench test CA"), QStringLiteral("DIP Workbench (testing only)"), 3072, 1,
                       3650, nullptr, nullptr,
                       {{NID_basic_constraints, QStringLiteral("critical,CA:TRUE,pathlen:0")},
                        {NID_key_usage, QStringLiteral("critical,keyCertSign,cRLSign")},
                        {NID_subject_key_identifier, QStringLiteral("hash")}},
                       error);
        if (!ca.cert || !writeFile(caKeyPath(), ossl::keyToPem(ca.key.get()), true, error)
            || !writeFile(caCertPath(), ossl::certToPem(ca.cert.get()), false, error))
            return false;
        qCDebug(lcSecurity) << "created the workspace test CA in" << m_dir;
    }
    IssueOptions server;
    server.organisation = QStringLiteral("DIP Workbench emulator");
    if ((force || !QFileInfo::exists(serverCertPath()))
        && !issueTo(QStringLiteral("localhost"), server, serverCertPath(), serverKeyPath(), error))
        return false;
    IssueOptions signing = server;
    signing.dnsNames.clear();
    signing.ipAddresses.clear();
    if ((force || !QFileInfo::exists(signingCertPath()))
        && !issueTo(emulatorDipId, signing, signingCertPath(), signingKeyPath(), error))
        return false;
    return true;
}

bool WorkspaceCa::issueTo(const QString &commonName, const IssueOptions &o, const QString &certPath,
                          const QString &keyPath, QString *error)
{
    if (!exists()) {
        if (error)
            *error = QStringLiteral("the workspace has no test CA yet (run 'dipwb certs init')");
        return false;
    }
    if (o.keyBits < 2048) {
        if (error)
            *error = QStringLiteral("RSA keys must have at least 2048 bits");
        return false;
    }
    ossl::Cert caCert = ossl::certFromPem(readFile(caCertPath()));
    ossl::Pkey caKey = ossl::keyFromPem(readFile(caKeyPath()));
    if (!caCert || !caKey) {
        if (error)
            *error = QStringLiteral("the CA files in %1 are unreadable").arg(m_dir + QStringLiteral("/ca"));
        return false;
    }
    Made leaf = make(commonName, o.organisation, o.keyBits, o.backdateDays, o.validityDays, caCert.get(), caKey.get(),
                     leafExtensions(o, isDipIdName(commonName) ? commonName : QString()), error);
    return leaf.cert && writeFile(keyPath, ossl::keyToPem(leaf.key.get()), true, error)
           && writeFile(certPath, ossl::certToPem(leaf.cert.get()), false, error);
}

bool WorkspaceCa::issue(const QString &dipId, const IssueOptions &o, QString *error)
{
    if (!isDipIdName(dipId)) {
        if (error)
            *error = QStringLiteral("'%1' is not a DIP id (letters and digits, like 2300000185)").arg(dipId);
        return false;
    }
    if (!issueTo(dipId, o, participantCertPath(dipId), participantKeyPath(dipId), error))
        return false;
    if (!writeFile(participantDir(dipId) + QStringLiteral("/ca-cert.pem"), readFile(caCertPath()), false, error))
        return false;

    ossl::Cert cert = ossl::certFromPem(readFile(participantCertPath(dipId)));
    ossl::Pkey key = ossl::keyFromPem(readFile(participantKeyPath(dipId)));
    ossl::Cert ca = ossl::certFromPem(readFile(caCertPath()));
    STACK_OF(X509) *chain = sk_X509_new_null();
    sk_X509_push(chain, ca.get());
    PKCS12 *p12 = PKCS12_create(o.pfxPassword.toUtf8().constData(), dipId.toUtf8().constData(), key.get(), cert.get(),
                                chain, 0, 0, 0, 0, 0);
    sk_X509_free(chain);
    if (!p12) {
        if (error)
            *error = QStringLiteral("cannot build the PFX bundle: ") + ossl::lastError();
        return false;
    }
    ossl::Bio out(BIO_new(BIO_s_mem()));
    i2d_PKCS12_bio(out.get(), p12);
    PKCS12_free(p12);
    char *data = nullptr;
    const long n = BIO_get_mem_data(out.get(), &data);
    if (!writeFile(participantPfxPath(dipId), QByteArray(data, int(n)), true, error))
        return false;

    // A new key per issue: re-issuing a certificate also rotates the API key, like a real onboarding.
    unsigned char raw[24];
    RAND_bytes(raw, sizeof raw);
    const QByteArray apiKey = QByteArray(reinterpret_cast<const char *>(raw), sizeof raw).toBase64(QByteArray::Base64UrlEncoding);
    return writeFile(participantApiKeyPath(dipId), apiKey + '\n', true, error);
}

QStringList WorkspaceCa::issuedDipIds() const
{
    QStringList ids;
    const QStringList dirs = QDir(m_dir + QStringLiteral("/participants")).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QString &d : dirs)
        if (isDipIdName(d) && QFileInfo::exists(participantCertPath(d)))
            ids << d;
    return ids;
}

QByteArray WorkspaceCa::apiKey(const QString &dipId) const
{
    return isDipIdName(dipId) ? readFile(participantApiKeyPath(dipId)).trimmed() : QByteArray();
}

IdentityPtr WorkspaceCa::participantIdentity(const QString &dipId, QString *error) const
{
    if (!isDipIdName(dipId) || !QFileInfo::exists(participantCertPath(dipId))) {
        if (error)
            *error = QStringLiteral("no certificate issued to %1 in %2 (run 'dipwb certs issue %1')").arg(dipId, m_dir);
        return {};
    }
    return SigningIdentity::load(participantCertPath(dipId), participantKeyPath(dipId), error);
}

IdentityPtr WorkspaceCa::emulatorSigningIdentity(QString *error) const
{
    return SigningIdentity::load(signingCertPath(), signingKeyPath(), error);
}

} // namespace dipwb::security
