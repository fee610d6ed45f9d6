// SPDX-License-Identifier: GPL-3.0-or-later
#include "detail/inspector_widget.h"

#include "security/recorded_call.h"

#include "common/dip_time.h"
#include "common/json_util.h"
#include "detail/json_tree_model.h"
#include "detail/record_models.h"
#include "schema/schema_set.h"
#include "security/recorded_call.h"
#include "store/store.h"
#include "tracker/message_filter.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTreeView>
#include <QTimeZone>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace dipwb::ui {
namespace {

QTableView *makeTable(QAbstractItemModel *model, QWidget *parent)
{
    auto *v = new QTableView(parent);
    v->setModel(model);
    v->setSelectionBehavior(QAbstractItemView::SelectRows);
    v->setSelectionMode(QAbstractItemView::SingleSelection);
    v->verticalHeader()->hide();
    v->verticalHeader()->setDefaultSectionSize(v->fontMetrics().height() + 6);
    v->horizontalHeader()->setStretchLastSection(true);
    v->setAlternatingRowColors(true);
    v->setWordWrap(false);
    return v;
}

QTreeView *makeTree(QAbstractItemModel *model, QWidget *parent)
{
    auto *v = new QTreeView(parent);
    v->setModel(model);
    v->setUniformRowHeights(true);
    v->setAlternatingRowColors(true);
    v->header()->resizeSection(0, 260);
    v->header()->resizeSection(1, 320);
    return v;
}

OJson parseOrDiscard(const QByteArray &bytes)
{
    return OJson::parse(bytes.constData(), bytes.constData() + bytes.size(), nullptr, false);
}

} // namespace

InspectorWidget::InspectorWidget(store::Store *store, QWidget *parent)
    : QWidget(parent), m_store(store), m_header(new QLabel(this)), m_tabs(new QTabWidget(this)),
      m_payloadModel(new JsonTreeModel(this)), m_deliveriesModel(new DeliveriesModel(this)),
      m_copyModel(new JsonTreeModel(this)), m_journalModel(new JournalModel(this))
{
    m_header->setTextFormat(Qt::RichText);
    m_header->setWordWrap(true);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_payloadView = makeTree(m_payloadModel, this);
    m_tabs->addTab(m_payloadView, tr("Payload"));

    m_routing = new QTreeWidget(this);
    m_routing->setHeaderLabels({tr("Recipient"), tr("Role"), tr("Copy state"), tr("Why")});
    m_routing->setWordWrap(true);
    m_routing->header()->resizeSection(0, 130);
    m_routing->header()->resizeSection(1, 55);
    m_routing->header()->resizeSection(2, 90);
    m_tabs->addTab(m_routing, tr("Routing"));

    auto *split = new QSplitter(Qt::Vertical, this);
    m_deliveriesView = makeTable(m_deliveriesModel, split);
    m_copyView = makeTree(m_copyModel, split);
    m_call = new QPlainTextEdit(split);
    m_call->setReadOnly(true);
    m_call->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_call->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_call->setToolTip(tr("The last webhook call made for this copy, as sent, and the check of its X-DIP-* signature"));
    split->addWidget(m_deliveriesView);
    split->addWidget(m_copyView);
    split->addWidget(m_call);
    split->setStretchFactor(1, 2);
    split->setStretchFactor(2, 1);
    m_tabs->addTab(split, tr("Deliveries"));

    m_journalView = makeTable(m_journalModel, this);
    m_tabs->addTab(m_journalView, tr("Journal"));

    m_related = new QTreeWidget(this);
    m_related->setHeaderLabels({tr("Same"), tr("#"), tr("Received (UTC)"), tr("Channel"), tr("Event"), tr("Sender")});
    m_related->setRootIsDecorated(false);
    m_related->header()->resizeSection(0, 150);
    m_related->header()->resizeSection(1, 60);
    m_related->header()->resizeSection(2, 170);
    m_tabs->addTab(m_related, tr("Related"));
    connect(m_related, &QTreeWidget::itemDoubleClicked, this, [this](QTreeWidgetItem *item) {
        if (const qint64 id = item->data(1, Qt::UserRole).toLongLong())
            emit messageActivated(id);
    });

    m_raw = new QPlainTextEdit(this);
    m_raw->setReadOnly(true);
    m_raw->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_raw->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_tabs->addTab(m_raw, tr("Raw"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_header);
    layout->addWidget(m_tabs, 1);

    connect(m_deliveriesView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { showDelivery(current.row()); });
    showMessage(0);
}

InspectorWidget::~InspectorWidget() = default;

void InspectorWidget::setTrustedCaFile(const QString &path)
{
    auto verifier = std::make_shared<security::SignatureVerifier>();
    QString why;
    m_verifier = verifier->addTrustedCaFile(path, &why) ? verifier : nullptr;
}

void InspectorWidget::showTab(const QString &name)
{
    for (int i = 0; i < m_tabs->count(); ++i)
        if (m_tabs->tabText(i) == name)
            m_tabs->setCurrentIndex(i);
}

void InspectorWidget::refresh()
{
    showMessage(m_messageId);
}

void InspectorWidget::showMessage(qint64 messageId)
{
    m_messageId = messageId;
    const auto m = messageId ? m_store->message(messageId) : std::nullopt;
    if (!m) {
        m_header->setText(tr("<i>Select a message in the tracker.</i>"));
        m_payloadModel->clear();
        m_copyModel->clear();
        m_deliveriesModel->setDeliveries({}, 0);
        m_journalModel->setEntries({});
        m_routing->clear();
        m_related->clear();
        m_raw->clear();
        return;
    }
    const OJson element = parseOrDiscard(m->payload);
    m_payloadModel->setDocument(element);
    // The payload checked against the schemas in use now: a message accepted under another
    // version, or with a warning, shows where it differs.
    QString schemaLine;
    if (m_schemas && element.is_object() && element.contains("payload")) {
        const schema::SchemaKey key{m->channel, m->eventCode, m->schemaVersion};
        if (m_schemas->has(key)) {
            QList<QPair<QString, QString>> marks;
            for (const auto &e : m_schemas->validate(key, element.at("payload")))
                marks << qMakePair(e.path, e.message);
            m_payloadModel->setProblems(marks);
            schemaLine = marks.isEmpty() ? tr("valid against specification %1").arg(m_schemas->specVersion())
                                         : tr("<span style='color:#c62828'>%n schema problem(s) against specification %1, marked in the payload</span>",
                                              nullptr, int(marks.size()))
                                               .arg(m_schemas->specVersion());
        } else {
            schemaLine = tr("no schema for %1 %2 version %3 in specification %4")
                             .arg(m->channel, m->eventCode, m->schemaVersion, m_schemas->specVersion()).toHtmlEscaped();
        }
    }
    m_header->setText(tr("<b>%1 %2</b> · #%3 from %4:%5%6<br>received %7 · transaction %8%9")
                          .arg(m->channel.toHtmlEscaped(), m->eventCode.toHtmlEscaped())
                          .arg(m->id)
                          .arg(m->senderRole.toHtmlEscaped(), m->senderDipId.toHtmlEscaped(),
                               m->mpan.isEmpty() ? QString() : tr(" · MPAN %1").arg(m->mpan),
                               dt::humanBoth(m->receivedMs).toHtmlEscaped(), m->transactionId.toHtmlEscaped(),
                               schemaLine.isEmpty() ? QString() : QStringLiteral("<br>") + schemaLine));
    m_payloadView->expandToDepth(2);

    const auto deliveries = m_store->deliveriesOfMessage(messageId);
    m_deliveriesModel->setDeliveries(deliveries, m->receivedMs);
    m_deliveriesView->resizeColumnsToContents();
    m_copyModel->clear();
    if (!deliveries.isEmpty())
        m_deliveriesView->selectRow(0);

    m_journalModel->setEntries(m_store->journalOfMessage(messageId));
    m_journalView->resizeColumnsToContents();

    fillRouting(m->routing, m->mpan, m->businessMs, m->channel);
    fillRelated(m->id, m->correlationId, m->mpan);

    QString raw;
    if (const auto r = m_store->request(m->requestId)) {
        raw = QStringLiteral("%1 %2  (HTTP %3, %4, signature: %5)\n%6\n")
                  .arg(r->method, r->path)
                  .arg(r->httpStatus)
                  .arg(r->outcome, r->signature, QString::fromUtf8(r->headers));
        const OJson body = parseOrDiscard(r->body);
        raw += body.is_discarded() ? QString::fromUtf8(r->body) : qs(body.dump(2));
        raw += tr("\n\n--- answered ---\n") + QString::fromUtf8(r->response);
    }
    m_raw->setPlainText(raw);
}

void InspectorWidget::showDelivery(int row)
{
    const store::DeliveryRecord *d = m_deliveriesModel->delivery(row);
    if (!d) {
        m_copyModel->clear();
        m_call->clear();
        return;
    }
    m_copyModel->setDocument(parseOrDiscard(d->body));
    const auto call = m_store->deliveryCall(d->id);
    if (!call) {
        m_call->setPlainText(d->attempts == 0 ? tr("Not called yet.") : tr("The call of this copy was not recorded."));
    } else {
        QString check;
        const auto parsed = security::parseRecordedCall(call->request);
        if (parsed && !security::isSignedCall(*parsed)) {
            check = tr("Signature: none (the DIP sent this call unsigned)");
        } else if (!m_verifier) {
            check = tr("Signature: not checked (the workspace has no test CA to check it against)");
        } else {
            const auto verdict = security::checkRecordedCall(call->request, d->body, call->atMs, *m_verifier);
            check = verdict ? tr("Signature: %1").arg(verdict->toString())
                            : tr("Signature: none (the DIP sent this call unsigned)");
        }
        m_call->setPlainText(tr("%1\nCalled %2 UTC (attempt %3)\n\n%4")
                                 .arg(check, dt::formatDt003Utc(call->atMs).left(19).replace(QLatin1Char('T'), QLatin1Char(' ')))
                                 .arg(d->attempts)
                                 .arg(QString::fromUtf8(call->request)));
    }
    // The blocks the DIP fills on egress are what a tester checks first.
    for (const char *block : {"[0].payload.CommonBlock.D0", "[0].payload.CommonBlock.A0"}) {
        const QModelIndex i = m_copyModel->indexOfPath(QString::fromLatin1(block));
        for (QModelIndex p = i; p.isValid(); p = p.parent())
            m_copyView->expand(p);
    }
}

void InspectorWidget::fillRouting(const QString &routing, const QString &mpan, qint64 businessMs, const QString &channel)
{
    m_routing->clear();
    const auto deliveries = m_deliveriesModel;
    const QList<store::AppointmentRecord> appointments = mpan.isEmpty() ? QList<store::AppointmentRecord>{} : m_store->appointments();
    const QList<RouteEntry> entries = parseRouting(routing);
    for (const RouteEntry &e : entries) {
        QString why;
        QString appointment;
        if (e.kind == QLatin1String("Primary")) {
            why = tr("Primary: listed by the sender in A0.primaryRecipients");
        } else if (e.kind == QLatin1String("Always")) {
            why = tr("Always: fixed subscriber of %1").arg(channel);
        } else {
            why = tr("Secondary: the %1 appointed to the MPAN on %2").arg(e.role, dt::formatDt003London(businessMs));
            for (const auto &a : appointments) {
                if (a.mpan == mpan && a.role == e.role && a.dipId == e.dipId && a.fromMs <= businessMs
                    && (!a.toMs || *a.toMs > businessMs)) {
                    appointment = tr("appointment #%1 from %2 to %3, recorded from %4")
                               .arg(a.id)
                               .arg(dt::formatDt003London(a.fromMs), a.toMs ? dt::formatDt003London(*a.toMs) : tr("open"), a.source);
                    break;
                }
            }
        }
        QString state;
        for (int r = 0; r < deliveries->rowCount(); ++r) {
            const auto *d = deliveries->delivery(r);
            if (d->recipientDipId == e.dipId && d->kind == store::DeliveryRecord::Kind::Publication && !d->replay)
                state = d->status;
        }
        auto *item = new QTreeWidgetItem(m_routing, {e.dipId, e.role, state, why});
        item->setToolTip(3, why);
        if (!appointment.isEmpty()) {
            // The appointment row used goes on its own line: it is what a tester checks first.
            auto *child = new QTreeWidgetItem(item, {QString(), QString(), QString(), appointment});
            child->setToolTip(3, appointment);
            child->setForeground(3, QBrush(QColor(0x45, 0x5a, 0x64)));
        }
    }
    if (entries.isEmpty())
        new QTreeWidgetItem(m_routing, {QString(), QString(), QString(), tr("No recipients: %1").arg(routing)});
    auto *raw = new QTreeWidgetItem(m_routing, {tr("explanation"), QString(), QString(), routing});
    raw->setToolTip(3, routing);
    raw->setForeground(3, QBrush(QColor(0x60, 0x60, 0x60)));
    m_routing->expandAll();
}

void InspectorWidget::fillRelated(qint64 messageId, const QString &correlationId, const QString &mpan)
{
    // The same indexed reads as the tracker's filters; bounded, so a busy MPAN cannot flood the tab.
    constexpr int kLimit = 200;
    m_related->clear();
    auto add = [&](const QString &same, const tracker::MessageFilter &f) {
        QList<qint64> ids = m_store->messageIds(f, 0, kLimit + 1);
        ids.removeAll(messageId);
        for (const auto &s : m_store->messageSummaries(ids.mid(0, kLimit))) {
            auto *item = new QTreeWidgetItem(m_related, {same, QString::number(s.id),
                                                         QDateTime::fromMSecsSinceEpoch(s.receivedMs, QTimeZone::utc())
                                                             .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")),
                                                         s.channel, s.eventCode, s.senderRole + QLatin1Char(':') + s.senderDipId});
            item->setData(1, Qt::UserRole, s.id);
        }
    };
    if (!correlationId.isEmpty()) {
        tracker::MessageFilter f;
        f.anyId = correlationId;
        add(tr("correlation id"), f);
    }
    if (!mpan.isEmpty()) {
        tracker::MessageFilter f;
        f.mpan = mpan;
        add(tr("MPAN"), f);
    }
}

} // namespace dipwb::ui
