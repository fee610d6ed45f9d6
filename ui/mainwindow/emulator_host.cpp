// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow/emulator_host.h"

#include "common/network_dispatcher.h"
#include "dip/emulator.h"
#include "dip/emulator_context.h"
#include "dip/security_setup.h"
#include "store/store.h"

namespace dipwb::ui {

EmulatorHost::EmulatorHost(const dip::EmulatorConfig &config, store::Store *store, catalogue::CataloguePtr catalogue,
                           std::shared_ptr<const schema::SchemaSet> schemas, QObject *parent)
    : QObject(parent), m_config(config), m_store(store), m_catalogue(std::move(catalogue)), m_schemas(std::move(schemas))
{
    m_thread.setObjectName(QStringLiteral("dipwb-network"));
    m_anchor = new QObject;
    m_anchor->moveToThread(&m_thread);
    if (QAbstractEventDispatcher *dispatcher = createNetworkEventDispatcher())
        m_thread.setEventDispatcher(dispatcher);
    m_thread.start();
    // The emulator must be created on the thread that runs it: its sockets and timers belong there.
    QMetaObject::invokeMethod(
        m_anchor,
        [this] {
            m_emulator = new dip::Emulator(m_config, m_store, m_catalogue);
            m_emulator->setSchemas(m_schemas);
            connect(m_emulator, &dip::Emulator::messagesStored, this, &EmulatorHost::messagesStored, Qt::QueuedConnection);
            connect(m_emulator, &dip::Emulator::deliveriesUpdated, this, &EmulatorHost::deliveriesUpdated, Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

EmulatorHost::~EmulatorHost()
{
    QMetaObject::invokeMethod(
        m_anchor, [this] {
            delete m_runner;
            m_runner = nullptr;
            delete m_emulator;
            m_emulator = nullptr;
        },
        Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void EmulatorHost::start()
{
    QMetaObject::invokeMethod(
        m_anchor,
        [this] {
            QString error;
            if (m_emulator->start(&error)) {
                const QString url = m_emulator->baseUrl();
                const quint16 port = m_emulator->port();
                QMetaObject::invokeMethod(this, [this, url, port] {
                    m_running = true;
                    m_baseUrl = url;
                    m_port = port;
                    emit started(url, port);
                    emit participantsChanged();
                });
            } else {
                QMetaObject::invokeMethod(this, [this, error] { emit startFailed(error); });
            }
        },
        Qt::QueuedConnection);
}

void EmulatorHost::setSecurity(const dip::EmulatorSecurity &security)
{
    m_securityText = dip::describeSecurity(security);
    QMetaObject::invokeMethod(m_anchor, [this, security] { m_emulator->setSecurity(security); }, Qt::QueuedConnection);
}

void EmulatorHost::stop()
{
    QMetaObject::invokeMethod(
        m_anchor,
        [this] {
            m_emulator->stop();
            QMetaObject::invokeMethod(this, [this] {
                m_running = false;
                m_port = 0;
                emit stopped();
            });
        },
        Qt::QueuedConnection);
}

void EmulatorHost::seedParticipants(const QList<participants::Participant> &list)
{
    QMetaObject::invokeMethod(
        m_anchor,
        [this, list] {
            m_emulator->seedParticipants(list, [this](bool, const QString &) {
                QMetaObject::invokeMethod(this, [this] { emit participantsChanged(); });
            });
            // A start() queued behind this reads the participants from the store: they must be
            // committed first. The wait is on the network thread, never the GUI's.
            m_store->flush();
        },
        Qt::QueuedConnection);
}

void EmulatorHost::appoint(const QString &mpan, const QString &role, const QString &dipId, qint64 atMs, bool end)
{
    QMetaObject::invokeMethod(
        m_anchor,
        [this, mpan, role, dipId, atMs, end] {
            auto done = [this, mpan](bool ok, const QString &error) {
                QMetaObject::invokeMethod(this, [this, mpan, ok, error] { emit appointmentsChanged(mpan, ok, error); });
            };
            if (end)
                m_emulator->deappoint(mpan, role, dipId, atMs, QStringLiteral("manual"), done);
            else
                m_emulator->appoint(mpan, role, dipId, atMs, QStringLiteral("manual"), done);
        },
        Qt::QueuedConnection);
}

void EmulatorHost::restoreAppointments(const QString &mpan, const QString &role,
                                       const QList<store::AppointmentRecord> &expected,
                                       const QList<store::AppointmentRecord> &rows)
{
    QMetaObject::invokeMethod(
        m_anchor,
        [this, mpan, role, expected, rows] {
            m_emulator->restoreAppointments(mpan, role, expected, rows, [this, mpan](bool ok, const QString &error) {
                QMetaObject::invokeMethod(this, [this, mpan, ok, error] { emit appointmentsChanged(mpan, ok, error); });
            });
        },
        Qt::QueuedConnection);
}

void EmulatorHost::removeParticipant(const QString &dipId)
{
    QMetaObject::invokeMethod(
        m_anchor,
        [this, dipId] {
            m_emulator->context().registry.remove(dipId);
            m_store->write([dipId](store::WriteTxn &t) { t.deleteParticipant(dipId); }, m_emulator,
                           [this](bool, const QString &) {
                               QMetaObject::invokeMethod(this, [this] { emit participantsChanged(); });
                           });
        },
        Qt::QueuedConnection);
}

void EmulatorHost::runPack(const scenario::Pack &pack, const scenario::RunOptions &options)
{
    if (m_packRunning)
        return;
    m_packRunning = true;
    QMetaObject::invokeMethod(
        m_anchor,
        [this, pack, options] {
            auto *runner = new scenario::Runner(pack, m_emulator, options);
            m_runner = runner;
            // Each answer is posted back to the GUI thread; the runner's types need no registration.
            connect(runner, &scenario::Runner::progress, m_anchor, [this](int done, int total) {
                QMetaObject::invokeMethod(this, [this, done, total] { emit runProgress(done, total); });
            });
            connect(runner, &scenario::Runner::caseStarted, m_anchor, [this](const QString &id) {
                QMetaObject::invokeMethod(this, [this, id] { emit runCaseStarted(id); });
            });
            connect(runner, &scenario::Runner::stepFinished, m_anchor, [this](const QString &id, const scenario::StepResult &step) {
                QMetaObject::invokeMethod(this, [this, id, step] { emit runStepFinished(id, step); });
            });
            connect(runner, &scenario::Runner::caseFinished, m_anchor, [this](const scenario::CaseResult &r) {
                QMetaObject::invokeMethod(this, [this, r] { emit runCaseFinished(r); });
            });
            connect(runner, &scenario::Runner::finished, m_anchor, [this, runner](const scenario::RunResult &r) {
                runner->deleteLater();
                if (m_runner == runner)
                    m_runner = nullptr;
                QMetaObject::invokeMethod(this, [this, r] {
                    m_packRunning = false;
                    emit runFinished(r);
                });
            });
            runner->start();
        },
        Qt::QueuedConnection);
}

void EmulatorHost::stopRun()
{
    QMetaObject::invokeMethod(
        m_anchor,
        [this] {
            if (m_runner)
                m_runner->stop();
        },
        Qt::QueuedConnection);
}

} // namespace dipwb::ui
