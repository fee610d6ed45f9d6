// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>
#include <memory>

namespace dipwb::dip {
class DipClient;
}

namespace dipwb::ui {

/// Where the composer sends and how it signs.
struct ComposerClient
{
    std::unique_ptr<dip::DipClient> client;  ///< null: cannot send (error says why)
    QString url;                              ///< the DIP's base URL
    QString note;                             ///< how the request goes ("signed as ...", "unsigned: ...")
    QString error;
};

/// The local DIP at baseUrl, signed with the workspace CA's certificate of senderDipId (and its
/// API key) when sign is set and the workspace has one.
ComposerClient localClient(const QString &workspaceDir, const QString &baseUrl, const QString &senderDipId, bool sign);
/// The remote DIP of a workspace profile, signed with its certificate, over its TLS settings.
ComposerClient profileClient(const QString &workspaceDir, const QString &profile, const QString &senderDipId);
/// The workspace's profiles, for the target list.
QStringList composerProfiles(const QString &workspaceDir);

} // namespace dipwb::ui
