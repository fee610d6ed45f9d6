// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "common/json_util.h"

#include <QString>
#include <QStringView>
#include <string_view>

// Shared between the files of the envelope area only.
namespace dipwb::envelope::detail {

/// The schema casing of every envelope key the DIP knows (DOMAIN.md 3), per object.
inline constexpr std::string_view kElementKeys[] = {"payload"};
inline constexpr std::string_view kPayloadKeys[] = {"CommonBlock", "CustomBlock"};
inline constexpr std::string_view kCommonKeys[] = {"S0", "S1", "M0", "M1", "A0", "D0", "R0"};
inline constexpr std::string_view kS0Keys[] = {"interfaceID", "schemaVersion", "eventCode"};
inline constexpr std::string_view kS1Keys[] = {"environmentTag",      "subText",     "senderUniqueReference",
                                               "senderTimestamp",     "senderDIPID", "senderRoleID",
                                               "senderCorrelationID", "DIPConnectionProviderID"};
inline constexpr std::string_view kM0Keys[] = {"MPANCore", "distributorDIPID", "GSPGroupID"};
inline constexpr std::string_view kM1Keys[] = {"principalMPAN", "distributorDIPID", "GSPGroupID"};
inline constexpr std::string_view kA0Keys[] = {"primaryRecipients", "secondaryRecipients", "always"};
inline constexpr std::string_view kD0Keys[] = {"transactionID", "transactionTimestamp", "publicationID",
                                               "initialCorrelationID", "replayIndicator", "serviceTicketURL"};
inline constexpr std::string_view kR0Keys[] = {"responseCode", "responseMessages"};

/// normaliseKeys() with the place of a collision apart from its reason: *path is relative to the
/// element ("payload.CommonBlock.S1"), so the caller can put the message index in front.
bool normaliseKeys(OJson &element, QString *path, QString *reason);

/// The interface part of a sender unique reference ("IF-033", "REP-002A"); empty when the reference
/// does not have the shape of isSenderUniqueReference().
QStringView referenceInterface(QStringView reference);

/// ASCII case-insensitive equality, for key names.
inline bool equalsNoCase(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z')
            x = char(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = char(y - 'A' + 'a');
        if (x != y)
            return false;
    }
    return true;
}

} // namespace dipwb::envelope::detail
