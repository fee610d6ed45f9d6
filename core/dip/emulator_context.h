#pragma once

#include "catalogue/catalogue.h"
#include "dip/emulator_config.h"
#include "dip/reference_book.h"
#include "participants/participant_registry.h"
#include "routing/appointment_map.h"
#include "store/store.h"

#include <QHash>
#include <memory>
#include <QSet>

namespace dipwb::schema {
class SchemaSet;
}

namespace dipwb::dip {

class DeliveryDispatcher;

/// The state the emulator's controllers share. Owned by Emulator; used only on the emulator's
/// thread except where a member says it is thread-safe (those are read by the send workers).
struct EmulatorContext
{
    EmulatorConfig config;
    catalogue::CataloguePtr catalogue;
    store::Store *store = nullptr;
    participants::ParticipantRegistry registry;   ///< thread-safe
    routing::AppointmentMap appointments;         ///< thread-safe
    DeliveryDispatcher *dispatcher = nullptr;
    /// Payload schemas of the catalogue version the workspace pins (immutable, any thread); null: none.
    std::shared_ptr<const schema::SchemaSet> schemas;

    /// Sender unique references accepted or being stored (thread-safe). A reference is reserved
    /// when its request passes L1, so two concurrent requests cannot both pass.
    ReferenceBook references;

    std::optional<participants::Participant> participant(const QString &dipId) const
    {
        return registry.find(dipId);
    }
    static QString referenceKey(const QString &sender, const QString &reference)
    {
        return ReferenceBook::key(sender, reference);
    }
};

} // namespace dipwb::dip
