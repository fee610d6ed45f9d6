// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "evidence/evidence.h"

#include <QWidget>

#include <memory>
#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QTableWidget;
class QTextBrowser;
class QTimer;

namespace dipwb::ui {

/// The reports panel: the stored runs of the workspace (and a selection of tracker messages when
/// one was sent here), a preview of the evidence report of the one picked, and an export of it in
/// any of the formats (HTML, PDF, JUnit, JSON, a bundle optionally signed with a workspace
/// certificate). Reading the workspace happens off the GUI thread; drawing the plots and the PDF
/// on it, with the panel showing that it is busy.
class ReportsWidget final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReportsWidget)
public:
    explicit ReportsWidget(const QString &workspaceDir, QWidget *parent = nullptr);
    ~ReportsWidget() override;

    /// Re-reads the stored runs (after a run ended); keeps the current choice when it still exists.
    void refresh();
    /// Offers these tracker messages as the first source, and picks it.
    void setSelection(const QList<qint64> &messageIds, const QString &description);
    /// Picks the stored run with this id; false when the list has none.
    bool selectRun(qint64 runId);
    /// Writes the checked formats of the current source; the files come back through exported().
    void exportNow();

    QTableWidget *sources() const { return m_sources; }
    QTextBrowser *preview() const { return m_preview; }
    QListWidget *files() const { return m_files; }
    QLabel *message() const { return m_message; }
    /// True while a preview or an export is being prepared.
    bool isBusy() const { return m_busy; }
    void setFormats(const QStringList &formats);
    void setOutputDir(const QString &dir);

signals:
    void exported(const QStringList &files);
    void previewReady();

private:
    struct Source
    {
        qint64 runId = 0;              // 0: the tracker selection
        QList<qint64> messageIds;
        bool operator==(const Source &) const = default;
    };
    std::optional<Source> currentSource() const;
    void previewSoon();
    void startGather(bool thenExport);
    void onGathered(bool thenExport, std::optional<evidence::EvidenceData> e, const QString &error);
    void showPreview(const evidence::EvidenceData &e);
    void writeFiles(const evidence::EvidenceData &e);
    void setBusy(bool busy, const QString &text = {});
    void fillSigners();
    QStringList checkedFormats() const;

    QString m_workspaceDir;
    QTableWidget *m_sources;
    QTextBrowser *m_preview;
    QListWidget *m_files;
    QLabel *m_message;
    QProgressBar *m_progress;
    QPushButton *m_refresh;
    QPushButton *m_export;
    QPushButton *m_openFolder;
    QComboBox *m_signer;
    QLineEdit *m_outDir;
    QList<QCheckBox *> m_formatBoxes;
    QTimer *m_previewTimer;

    QList<qint64> m_selectionIds;
    QString m_selectionDescription;
    quint64 m_generation = 0;          // a gather whose generation is not the latest is dropped
    std::optional<evidence::EvidenceData> m_shown;
    std::optional<Source> m_shownSource;
    QString m_lastFolder;
    bool m_busy = false;
};

} // namespace dipwb::ui
