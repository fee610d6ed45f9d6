// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>
#include <memory>

class QLabel;
class QPlainTextEdit;
class QTabWidget;
class QTreeView;
class QTreeWidget;
class QTableView;

namespace dipwb::store {
class Store;
}
namespace dipwb::security {
class SignatureVerifier;
}
namespace dipwb::schema {
class SchemaSet;
}

namespace dipwb::ui {

class DeliveriesModel;
class JournalModel;
class JsonTreeModel;

/// Everything about one stored message: payload tree, raw request, each delivered copy (its D0/A0
/// as sent, the last webhook call's headers and their signature check), the routing explanation
/// with the appointments it used, and the journal timeline.
class InspectorWidget final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(InspectorWidget)
public:
    explicit InspectorWidget(store::Store *store, QWidget *parent = nullptr);
    ~InspectorWidget() override;
    /// The CA whose certificates the emulator signs webhook calls with (the workspace CA's PEM
    /// file); without one, calls are shown but their signatures not checked.
    void setTrustedCaFile(const QString &path);
    /// The payload schemas a shown message is checked against (its problems marked in the tree).
    void setSchemas(std::shared_ptr<const schema::SchemaSet> schemas) { m_schemas = std::move(schemas); }
    QLabel *header() const { return m_header; }

    /// Shows a message (0 clears). Reads from the store on the calling (GUI) thread: a few rows by key.
    void showMessage(qint64 messageId);
    /// Reads the shown message again (its copies changed state).
    void refresh();
    qint64 messageId() const { return m_messageId; }

    QTabWidget *tabs() const { return m_tabs; }
    QTreeWidget *routingTree() const { return m_routing; }
    JsonTreeModel *payloadModel() const { return m_payloadModel; }
    DeliveriesModel *deliveriesModel() const { return m_deliveriesModel; }
    QTableView *deliveriesView() const { return m_deliveriesView; }
    /// The selected copy's last webhook call: the signature check, then the request line and headers.
    QPlainTextEdit *callView() const { return m_call; }
    JournalModel *journalModel() const { return m_journalModel; }
    /// Opens the given tab by its name ("Payload", "Routing", "Deliveries", "Journal", "Related", "Raw").
    void showTab(const QString &name);
    QTreeWidget *relatedTree() const { return m_related; }

signals:
    /// A related message was double-clicked.
    void messageActivated(qint64 messageId);

private:
    void showDelivery(int row);
    void fillRouting(const QString &routing, const QString &mpan, qint64 businessMs, const QString &channel);
    void fillRelated(qint64 messageId, const QString &correlationId, const QString &mpan);

    store::Store *m_store;
    qint64 m_messageId = 0;
    QLabel *m_header;
    QTabWidget *m_tabs;
    JsonTreeModel *m_payloadModel;
    QTreeView *m_payloadView;
    QPlainTextEdit *m_raw;
    QTreeWidget *m_routing;
    DeliveriesModel *m_deliveriesModel;
    QTableView *m_deliveriesView;
    JsonTreeModel *m_copyModel;
    QTreeView *m_copyView;
    QPlainTextEdit *m_call;
    std::shared_ptr<security::SignatureVerifier> m_verifier;
    std::shared_ptr<const schema::SchemaSet> m_schemas;
    JournalModel *m_journalModel;
    QTableView *m_journalView;
    QTreeWidget *m_related;
};

} // namespace dipwb::ui
