// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/network_dispatcher.h"

#include <QtGlobal>

#ifdef Q_OS_LINUX
#include "common/epoll_dispatcher.h"
#endif

namespace dipwb {

QAbstractEventDispatcher *createNetworkEventDispatcher()
{
#ifdef Q_OS_LINUX
    if (qEnvironmentVariable("DIPWB_EVENT_DISPATCHER") != QLatin1String("qt"))
        return new EpollEventDispatcher;
#endif
    return nullptr;
}

} // namespace dipwb
