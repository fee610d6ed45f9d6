// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

class QAbstractEventDispatcher;

namespace dipwb {

/// The event dispatcher for a thread that serves HTTP: an EpollEventDispatcher on Linux, null
/// elsewhere (Qt's own is kept). DIPWB_EVENT_DISPATCHER=qt in the environment also keeps Qt's own,
/// to compare the two. Install it before the thread runs (QThread::setEventDispatcher, or
/// QCoreApplication::setEventDispatcher before the application object exists).
QAbstractEventDispatcher *createNetworkEventDispatcher();

} // namespace dipwb
