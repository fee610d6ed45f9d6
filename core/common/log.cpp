#include "common/log.h"

Q_LOGGING_CATEGORY(lcCommon, "dipwb.core.common")
Q_LOGGING_CATEGORY(lcEnvelope, "dipwb.core.envelope")
Q_LOGGING_CATEGORY(lcCatalogue, "dipwb.core.catalogue")
Q_LOGGING_CATEGORY(lcRouter, "dipwb.core.router")
Q_LOGGING_CATEGORY(lcStore, "dipwb.core.store")
Q_LOGGING_CATEGORY(lcHttp, "dipwb.core.http")
Q_LOGGING_CATEGORY(lcDip, "dipwb.core.dip")
Q_LOGGING_CATEGORY(lcDelivery, "dipwb.core.delivery")
Q_LOGGING_CATEGORY(lcParticipants, "dipwb.core.participants")
Q_LOGGING_CATEGORY(lcSecurity, "dipwb.core.security")
