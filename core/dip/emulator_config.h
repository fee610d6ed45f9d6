#pragma once

#include <QHostAddress>
#include <QString>

namespace dipwb::dip {

/// Settings of one emulator instance. Values marked "assumed" in DOMAIN.md are settings here.
struct EmulatorConfig
{
    QHostAddress bindAddress = QHostAddress::LocalHost;
    quint16 port = 0;                      ///< 0: an ephemeral port
    QString environment = QStringLiteral("SIT");
    QString dipId = QStringLiteral("0000000000"); ///< the DIP's own id in StandardResponse.senderID
    qint64 maxBodyBytes = 10 * 1024 * 1024;
    int headerTimeoutMs = 10000;           ///< first byte to end of head, else 408
    int bodyTimeoutMs = 30000;             ///< end of head to end of body, else 408
    int idleTimeoutMs = 60000;
    int maxConnections = 2000;             ///< open connections; beyond: 503 and close
    qint64 maxFutureSkewMs = 5 * 60 * 1000;
    bool rejectBadMpanCheckDigit = false;
    // Delivery (DOMAIN.md 6): back-off 1, 2, 4, 8, 16 s... up to maxDeliveryAttempts in all (assumed).
    int maxDeliveryAttempts = 6;
    int retryBaseMs = 1000;
    int retryMaxMs = 5 * 60 * 1000;
    int deliveryTimeoutMs = 30000;
    int maxConnectionsPerRecipient = 8;
    int sendWorkers = 0;                   ///< threads preparing sends; 0: one per core
};

} // namespace dipwb::dip
