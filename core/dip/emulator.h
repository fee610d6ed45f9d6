#pragma once

#include "catalogue/catalogue.h"
#include "dip/emulator_config.h"
#include "dip/emulator_security.h"
#include "participants/participant.h"

#include <QObject>
#include <QPair>
#include <QTimer>
#include <memory>

namespace dipwb::store {
class Store;
struct AppointmentRecord;
}
namespace dipwb::schema {
class SchemaSet;
}

namespace dipwb::dip {

struct EmulatorContext;

/// The local DIP: HTTP endpoints, L1 checks, durable ingest, routing and delivery. Create it on the
/// thread that will run it (the CLI's main thread, or the GUI's network thread); everything it owns
/// lives there. Observers get batched signals, at most one of each per 100 ms.
class Emulator final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Emulator)
public:
    Emulator(const EmulatorConfig &config, store::Store *store, catalogue::CataloguePtr catalogue,
             QObject *parent = nullptr);
    ~Emulator() override;

    /// Loads participants, appointments, used references and the pending outbox from the store,
    /// starts listening and resumes delivery. False with a reason when the port cannot be bound.
    bool start(QString *error);
    void stop();
    bool isRunning() const;
    quint16 port() const;
    QString baseUrl() const;
    const EmulatorConfig &config() const;
    EmulatorContext &context();

    /// The payload schemas every send and /validate is checked against (the catalogue version the
    /// workspace pins); null turns payload validation off. Set it before start(): the send path may
    /// read it from other threads while requests are checked.
    void setSchemas(std::shared_ptr<const schema::SchemaSet> schemas);
    /// Signature checks, webhook signing, HTTPS/mTLS and API keys (DOMAIN.md 7). Set before start();
    /// it takes effect at the next start.
    void setSecurity(EmulatorSecurity security);
    const EmulatorSecurity &security() const;
    std::shared_ptr<const schema::SchemaSet> schemas() const;

    /// Adds or replaces participants and stores them; webhooks already registered for a channel the
    /// seed does not name are kept. done runs after the commit.
    void seedParticipants(const QList<participants::Participant> &list, std::function<void(bool, QString)> done = {});

    /// Records an appointment in the MPAN map (and the store) as a registration publication would:
    /// the party holds the role for the MPAN from fromMs on. Scenario fixtures and the appointment
    /// editor use it; source names who said so ("pack sit-starter", "manual"). done runs after the commit.
    void appoint(const QString &mpan, const QString &role, const QString &dipId, qint64 fromMs, const QString &source,
                 std::function<void(bool, QString)> done = {});
    /// Ends the party's appointment at toMs, as a de-appointment publication would. done gets
    /// false with the reason when there was nothing to end.
    void deappoint(const QString &mpan, const QString &role, const QString &dipId, qint64 toMs, const QString &source,
                   std::function<void(bool, QString)> done = {});
    /// Puts the rows of (mpan, role) back to `rows` (an edit undone, or redone), in the map and the
    /// store in one write, but only while they are still `expected`: if anything changed them
    /// since (a registration publication, another edit), done gets false and why, and nothing changes.
    void restoreAppointments(const QString &mpan, const QString &role, const QList<store::AppointmentRecord> &expected,
                             const QList<store::AppointmentRecord> &rows, std::function<void(bool, QString)> done);


signals:
    void messagesStored(const QList<qint64> &messageIds);
    void deliveriesUpdated(const QList<qint64> &deliveryIds);

private:
    void flushSignals();
    /// Stores changed rows; with `replacing` (mpan, role), all other rows of that role go first.
    void persistAppointments(const QList<store::AppointmentRecord> &changed, std::function<void(bool, QString)> done,
                             const QPair<QString, QString> &replacing = {});
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace dipwb::dip
