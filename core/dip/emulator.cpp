// SPDX-License-Identifier: GPL-3.0-or-later
#include "dip/emulator.h"

#include "common/clock.h"
#include "common/log.h"
#include "dip/config_controller.h"
#include "dip/delivery_dispatcher.h"
#include "dip/emulator_context.h"
#include "dip/replay_controller.h"
#include "dip/send_controller.h"
#include "dip/signature_guard.h"
#include "dip/status_controller.h"
#include "dip/validate_controller.h"
#include "http/http_client.h"
#include "http/http_router.h"
#include "http/http_server.h"
#include "security/signature.h"
#include "store/store.h"

#include <QSslServer>

namespace dipwb::dip {

struct Emulator::Private
{
    EmulatorContext ctx;
    http::HttpServer *server = nullptr;
    http::HttpRouter router;
    SendController *send = nullptr;
    std::unique_ptr<ConfigController> config;
    std::unique_ptr<ReplayController> replay;
    std::unique_ptr<StatusController> status;
    std::unique_ptr<ValidateController> validate;
    EmulatorSecurity security;
    std::unique_ptr<SignatureGuard> guard;
    QTimer signalTimer;
    QList<qint64> pendingMessages, pendingDeliveries;
    bool running = false;
};

Emulator::Emulator(const EmulatorConfig &config, store::Store *store, catalogue::CataloguePtr catalogue, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    d->ctx.config = config;
    d->ctx.store = store;
    d->ctx.catalogue = std::move(catalogue);
    d->ctx.dispatcher = new DeliveryDispatcher(d->ctx, this);
    d->send = new SendController(d->ctx, this);
    d->config = std::make_unique<ConfigController>(d->ctx);
    d->replay = std::make_unique<ReplayController>(d->ctx);
    d->status = std::make_unique<StatusController>(d->ctx);
    d->validate = std::make_unique<ValidateController>(d->ctx);

    d->signalTimer.setSingleShot(true);
    d->signalTimer.setInterval(100);
    connect(&d->signalTimer, &QTimer::timeout, this, &Emulator::flushSignals);
    connect(d->send, &SendController::messagesStored, this, [this](const QList<qint64> &ids) {
        d->pendingMessages << ids;
        if (!d->signalTimer.isActive())
            d->signalTimer.start();
    });
    connect(d->ctx.dispatcher, &DeliveryDispatcher::deliveriesUpdated, this, [this](const QList<qint64> &ids) {
        d->pendingDeliveries << ids;
        if (!d->signalTimer.isActive())
            d->signalTimer.start();
    });

    using namespace std::placeholders;
    auto &r = d->router;
    r.add("POST", QStringLiteral("/dip-channel/{id}"), std::bind(&SendController::handle, d->send, _1, _2, _3));
    r.add("POST", QStringLiteral("/dip-channel/{id}/pubconfig/{dipId}"), std::bind(&ConfigController::pubConfig, d->config.get(), _1, _2, _3));
    r.add("DELETE", QStringLiteral("/dip-channel/{id}/pubconfig/{dipId}"), std::bind(&ConfigController::pubConfig, d->config.get(), _1, _2, _3));
    r.add("POST", QStringLiteral("/dip-channel/{id}/replay/{dipId}"), std::bind(&ReplayController::replay, d->replay.get(), _1, _2, _3));
    r.add("POST", QStringLiteral("/dip-channel/{id}/requeue/{dipId}"), std::bind(&ReplayController::requeue, d->replay.get(), _1, _2, _3));
    r.add("POST", QStringLiteral("/statusmessage"), std::bind(&StatusController::submit, d->status.get(), _1, _2, _3));
    r.add("POST", QStringLiteral("/statusmessage/config/{dipId}"), std::bind(&ConfigController::statusConfig, d->config.get(), _1, _2, _3));
    r.add("DELETE", QStringLiteral("/statusmessage/config/{dipId}"), std::bind(&ConfigController::statusConfig, d->config.get(), _1, _2, _3));
    r.add("POST", QStringLiteral("/validate/{id}/{event}"), std::bind(&ValidateController::validate, d->validate.get(), _1, _2, _3));
}

Emulator::~Emulator()
{
    stop();
}

bool Emulator::start(QString *error)
{
    if (d->running)
        return true;
    auto &ctx = d->ctx;
    ctx.registry.replaceAll(ctx.store->participants());
    ctx.appointments.load(ctx.store->appointments());
    ctx.references.clear();
    for (const auto &[sender, reference] : ctx.store->senderReferences())
        ctx.references.insert(EmulatorContext::referenceKey(sender, reference));

    http::HttpServer::Limits limits;
    limits.maxBodyBytes = ctx.config.maxBodyBytes;
    limits.headerTimeoutMs = ctx.config.headerTimeoutMs;
    limits.bodyTimeoutMs = ctx.config.bodyTimeoutMs;
    limits.idleTimeoutMs = ctx.config.idleTimeoutMs;
    limits.maxConnections = ctx.config.maxConnections;
    d->server = new http::HttpServer(limits, this);
    if (d->security.tls) {
        auto *ssl = new QSslServer;
        ssl->setSslConfiguration(*d->security.tls);
        // A failed handshake (no client certificate under mTLS, a foreign CA) never reaches HTTP;
        // it is logged so the tester sees why the connection was dropped.
        connect(ssl, &QSslServer::peerVerifyError, this, [](QSslSocket *, const QSslError &e) {
            qCInfo(lcSecurity) << "TLS client certificate refused:" << e.errorString();
        });
        connect(ssl, &QSslServer::errorOccurred, this, [](QSslSocket *, QAbstractSocket::SocketError) {
            qCInfo(lcSecurity) << "TLS handshake failed";
        });
        d->server->setTcpServer(ssl);
    }
    // Every endpoint sits behind the guard, so no route can forget to check a signature.
    d->guard = std::make_unique<SignatureGuard>(ctx, d->security);
    d->server->setHandler(d->guard->wrap(d->router.asHandler()));
    // Set at every start: a restart with other security must not keep the old signer, and the
    // webhook client takes the TLS defaults the security was built with (the workspace CA).
    if (const auto signer = d->security.webhookSigner) {
        ctx.dispatcher->setRequestDecorator([signer](http::ClientRequest &r) {
            QString why;
            if (!security::signClientRequest(r, *signer, &why))
                qCWarning(lcSecurity) << "webhook call to" << r.url.toString() << "left unsigned:" << why;
        });
    } else {
        ctx.dispatcher->setRequestDecorator({});
    }
    ctx.dispatcher->setSslConfiguration(QSslConfiguration::defaultConfiguration());
    QString why;
    if (!d->server->listen(ctx.config.bindAddress, ctx.config.port, &why)) {
        if (error)
            *error = QStringLiteral("cannot listen on %1:%2: %3").arg(ctx.config.bindAddress.toString()).arg(ctx.config.port).arg(why);
        delete d->server;
        d->server = nullptr;
        return false;
    }
    d->running = true;
    const auto pending = ctx.store->pendingDeliveries();
    qCInfo(lcDip) << "emulator listening on" << baseUrl() << "with" << ctx.registry.count() << "participants;"
                  << pending.size() << "pending deliveries resumed";
    ctx.dispatcher->enqueue(pending);
    return true;
}

void Emulator::stop()
{
    if (!d->running)
        return;
    d->running = false;
    d->server->close();
    d->send->drain(); // requests being prepared still reach the store; their answers go nowhere
    d->ctx.dispatcher->flushStates();
    delete d->server;
    d->server = nullptr;
    flushSignals();
}

bool Emulator::isRunning() const
{
    return d->running;
}

quint16 Emulator::port() const
{
    return d->server ? d->server->port() : 0;
}

QString Emulator::baseUrl() const
{
    QString host = d->ctx.config.bindAddress.toString();
    if (d->ctx.config.bindAddress.protocol() == QAbstractSocket::IPv6Protocol)
        host = QLatin1Char('[') + host + QLatin1Char(']');
    return QStringLiteral("%1://%2:%3").arg(d->security.tls ? QStringLiteral("https") : QStringLiteral("http"), host).arg(port());
}

const EmulatorConfig &Emulator::config() const
{
    return d->ctx.config;
}

EmulatorContext &Emulator::context()
{
    return d->ctx;
}

void Emulator::setSecurity(EmulatorSecurity security)
{
    d->security = std::move(security);
}

const EmulatorSecurity &Emulator::security() const
{
    return d->security;
}

void Emulator::setSchemas(std::shared_ptr<const schema::SchemaSet> schemas)
{
    d->ctx.schemas = std::move(schemas);
}

std::shared_ptr<const schema::SchemaSet> Emulator::schemas() const
{
    return d->ctx.schemas;
}

void Emulator::seedParticipants(const QList<participants::Participant> &seed, std::function<void(bool, QString)> done)
{
    // A seed file says who exists; webhooks registered since (pubconfig, statusmessage/config) are
    // kept unless the file names a webhook for the same channel, so restarting with the same file
    // does not silently park every delivery.
    QHash<QString, participants::Participant> stored;
    for (const auto &p : d->ctx.store->participants())
        stored.insert(p.dipId, p);
    QList<participants::Participant> list = seed;
    for (auto &p : list) {
        const auto it = stored.constFind(p.dipId);
        if (it == stored.cend())
            continue;
        for (auto w = it->webhooks.cbegin(); w != it->webhooks.cend(); ++w)
            if (!p.webhooks.contains(w.key()))
                p.webhooks.insert(w.key(), w.value());
        if (p.statusWebhook.isEmpty())
            p.statusWebhook = it->statusWebhook;
    }
    for (const auto &p : list)
        d->ctx.registry.upsert(p);
    d->ctx.store->write(
        [list](store::WriteTxn &txn) {
            for (const auto &p : list)
                txn.upsertParticipant(p);
        },
        this,
        [this, list, done](bool ok, const QString &error) {
            if (ok)
                for (const auto &p : list)
                    d->ctx.dispatcher->resume(p.dipId);
            if (done)
                done(ok, error);
        });
}

void Emulator::appoint(const QString &mpan, const QString &role, const QString &dipId, qint64 fromMs, const QString &source,
                       std::function<void(bool, QString)> done)
{
    persistAppointments(d->ctx.appointments.appoint(mpan, role, dipId, fromMs, Clock::nowMs(), source), std::move(done));
}

void Emulator::deappoint(const QString &mpan, const QString &role, const QString &dipId, qint64 toMs, const QString &source,
                         std::function<void(bool, QString)> done)
{
    const QList<store::AppointmentRecord> changed = d->ctx.appointments.deappoint(mpan, role, dipId, toMs, Clock::nowMs(), source);
    if (changed.isEmpty()) {
        if (done)
            done(false, QStringLiteral("%1 holds no %2 appointment of MPAN %3 to end there").arg(dipId, role, mpan));
        return;
    }
    persistAppointments(changed, std::move(done));
}

void Emulator::restoreAppointments(const QString &mpan, const QString &role, const QList<store::AppointmentRecord> &expected,
                                   const QList<store::AppointmentRecord> &rows, std::function<void(bool, QString)> done)
{
    if (d->ctx.appointments.rowsOf(mpan, role) != expected) {
        if (done)
            done(false, QStringLiteral("the %1 history of MPAN %2 has changed since (by a publication or another edit)")
                            .arg(role, mpan));
        return;
    }
    d->ctx.appointments.replaceRows(mpan, role, rows);
    persistAppointments(rows, std::move(done), {mpan, role});
}

void Emulator::persistAppointments(const QList<store::AppointmentRecord> &changed, std::function<void(bool, QString)> done,
                                   const QPair<QString, QString> &replacing)
{
    auto rows = std::make_shared<QList<store::AppointmentRecord>>(changed);
    d->ctx.store->write(
        [rows, replacing](store::WriteTxn &txn) {
            if (!replacing.first.isEmpty())
                txn.deleteAppointmentsOf(replacing.first, replacing.second);
            for (store::AppointmentRecord &a : *rows)
                txn.upsertAppointment(a); // rows with an id are those rows again, not copies
        },
        this,
        [this, rows, done](bool ok, const QString &error) {
            if (ok)
                for (const auto &a : std::as_const(*rows))
                    d->ctx.appointments.setId(a.mpan, a.role, a.fromMs, a.id);
            else
                d->ctx.appointments.load(d->ctx.store->appointments()); // back to what is stored
            if (done)
                done(ok, error);
        });
}

void Emulator::flushSignals()
{
    if (!d->pendingMessages.isEmpty())
        emit messagesStored(std::exchange(d->pendingMessages, {}));
    if (!d->pendingDeliveries.isEmpty())
        emit deliveriesUpdated(std::exchange(d->pendingDeliveries, {}));
}

} // namespace dipwb::dip
