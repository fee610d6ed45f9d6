// SPDX-License-Identifier: GPL-3.0-or-later
#include "reports/reports_widget.h"

#include "common/dip_time.h"
#include "common/workspace.h"
#include "evidence/report_html.h"
#include "report/report_export.h"
#include "report/report_plots.h"
#include "scenario/run_store.h"
#include "security/test_ca.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDesktopServices>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QTextBrowser>
#include <QTimer>
#include <QUrl>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace dipwb::ui {

namespace {

constexpr int kIdRole = Qt::UserRole + 1;  // run id; 0 for the selection row

QString verdictText(const scenario::RunResult &r)
{
    if (!r.setupError.isEmpty())
        return QObject::tr("not started");
    return QObject::tr("%1 passed, %2 failed, %3 errors, %4 skipped")
        .arg(r.count(scenario::Verdict::Passed))
        .arg(r.count(scenario::Verdict::Failed))
        .arg(r.count(scenario::Verdict::Error))
        .arg(r.count(scenario::Verdict::Skipped));
}

} // namespace

ReportsWidget::ReportsWidget(const QString &workspaceDir, QWidget *parent)
    : QWidget(parent), m_workspaceDir(workspaceDir), m_sources(new QTableWidget(0, 4, this)), m_preview(new QTextBrowser(this)),
      m_files(new QListWidget(this)), m_message(new QLabel(this)), m_progress(new QProgressBar(this)),
      m_refresh(new QPushButton(tr("&Refresh"), this)), m_export(new QPushButton(tr("&Export"), this)),
      m_openFolder(new QPushButton(tr("Open &folder"), this)), m_signer(new QComboBox(this)), m_outDir(new QLineEdit(this)),
      m_previewTimer(new QTimer(this))
{
    m_sources->setHorizontalHeaderLabels({tr("Run"), tr("Pack"), tr("Started (UTC)"), tr("Result")});
    m_sources->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_sources->setSelectionMode(QAbstractItemView::SingleSelection);
    m_sources->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_sources->verticalHeader()->hide();
    m_sources->horizontalHeader()->setStretchLastSection(true);
    m_sources->setToolTip(tr("Stored pack runs of this workspace; a selection of tracker messages appears first when one was sent here"));

    auto *formats = new QHBoxLayout;
    const QList<QPair<QString, QString>> names{{QStringLiteral("html"), tr("HTML")},   {QStringLiteral("pdf"), tr("PDF")},
                                               {QStringLiteral("junit"), tr("JUnit")}, {QStringLiteral("json"), tr("JSON")},
                                               {QStringLiteral("bundle"), tr("Bundle (zip)")}};
    for (const auto &[key, label] : names) {
        auto *box = new QCheckBox(label, this);
        box->setObjectName(key);
        box->setChecked(true);
        connect(box, &QCheckBox::toggled, this, [this] { m_export->setEnabled(!m_busy && currentSource() && !checkedFormats().isEmpty()); });
        m_formatBoxes << box;
        formats->addWidget(box);
    }
    formats->addStretch();

    m_outDir->setPlaceholderText(tr("%1/… (default)").arg(QDir::toNativeSeparators(Workspace(workspaceDir).reportsDir())));
    m_outDir->setClearButtonEnabled(true);
    auto *browse = new QPushButton(tr("Browse…"), this);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Export the report into"), m_outDir->text());
        if (!dir.isEmpty())
            m_outDir->setText(dir);
    });
    auto *outRow = new QHBoxLayout;
    outRow->addWidget(m_outDir, 1);
    outRow->addWidget(browse);

    m_signer->setToolTip(tr("Sign the bundle's manifest with a certificate issued by the workspace CA (Participants panel)"));
    auto *form = new QFormLayout;
    form->addRow(tr("Formats:"), formats);
    form->addRow(tr("Sign bundle as:"), m_signer);
    form->addRow(tr("Output folder:"), outRow);

    m_export->setToolTip(tr("Write the checked formats of the chosen run (Ctrl+Shift+E)"));
    m_export->setEnabled(false);
    m_openFolder->setEnabled(false);
    m_progress->setRange(0, 0);
    m_progress->setMaximumWidth(160);
    m_progress->hide();
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_refresh);
    buttons->addWidget(m_export);
    buttons->addWidget(m_openFolder);
    buttons->addWidget(m_progress);
    buttons->addStretch();

    m_files->setToolTip(tr("Files written by the last export; double-click to open one"));
    m_files->setMaximumHeight(90);
    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_sources, 1);
    leftLayout->addLayout(form);
    leftLayout->addLayout(buttons);
    leftLayout->addWidget(m_message);
    leftLayout->addWidget(m_files);
    // The report's links are anchors within it (case ids, message numbers): followed in place.
    m_preview->setOpenExternalLinks(false);
    m_preview->setPlaceholderText(tr("Pick a run to see its evidence report."));
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(left);
    split->addWidget(m_preview);
    split->setStretchFactor(1, 2);
    split->setSizes({520, 880});
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(split);

    // Arrow keys through the runs preview each; the timer keeps that from gathering every row passed.
    m_previewTimer->setSingleShot(true);
    m_previewTimer->setInterval(150);
    connect(m_previewTimer, &QTimer::timeout, this, [this] { startGather(false); });
    connect(m_sources, &QTableWidget::itemSelectionChanged, this, &ReportsWidget::previewSoon);
    connect(m_refresh, &QPushButton::clicked, this, &ReportsWidget::refresh);
    connect(m_export, &QPushButton::clicked, this, &ReportsWidget::exportNow);
    connect(m_openFolder, &QPushButton::clicked, this, [this] { QDesktopServices::openUrl(QUrl::fromLocalFile(m_lastFolder)); });
    connect(m_files, &QListWidget::itemActivated, this,
            [](QListWidgetItem *item) { QDesktopServices::openUrl(QUrl::fromLocalFile(item->data(Qt::UserRole).toString())); });
    refresh();
}

ReportsWidget::~ReportsWidget() = default;

void ReportsWidget::fillSigners()
{
    const QString keep = m_signer->currentData().toString();
    m_signer->clear();
    m_signer->addItem(tr("not signed"), QString());
    for (const QString &dipId : security::WorkspaceCa(Workspace(m_workspaceDir).certificatesDir()).issuedDipIds())
        m_signer->addItem(dipId, dipId);
    m_signer->setCurrentIndex(std::max(0, m_signer->findData(keep)));
}

void ReportsWidget::refresh()
{
    fillSigners();
    const auto current = currentSource();
    // What a selection shows changes as its copies get delivered: gather it again when asked.
    m_shown.reset();
    m_shownSource.reset();
    QString error;
    const QList<scenario::RunResult> runs = scenario::storedRuns(Workspace(m_workspaceDir).databasePath(), 500, &error);
    const QSignalBlocker block(m_sources);
    m_sources->setRowCount(0);
    const auto addRow = [this](qint64 id, const QStringList &cells) {
        const int row = m_sources->rowCount();
        m_sources->insertRow(row);
        for (int c = 0; c < cells.size(); ++c) {
            auto *item = new QTableWidgetItem(cells[c]);
            item->setData(kIdRole, id);
            m_sources->setItem(row, c, item);
        }
    };
    if (!m_selectionIds.isEmpty())
        addRow(0, {tr("selection"), tr("%n tracker message(s)", nullptr, int(m_selectionIds.size())), QString(), m_selectionDescription});
    for (const auto &r : runs)
        addRow(r.runId, {QString::number(r.runId), r.packTitle.isEmpty() ? r.packId : QStringLiteral("%1 (%2)").arg(r.packTitle, r.packId),
                         dt::formatDt003Utc(r.startedMs).left(19).replace(QLatin1Char('T'), QLatin1Char(' ')), verdictText(r)});
    m_sources->resizeColumnsToContents();
    int pick = -1;
    for (int row = 0; current && row < m_sources->rowCount(); ++row)
        if (m_sources->item(row, 0)->data(kIdRole).toLongLong() == current->runId)
            pick = row;
    if (pick >= 0)
        m_sources->selectRow(pick);
    if (!error.isEmpty())
        m_message->setText(tr("Cannot read the stored runs: %1").arg(error));
    else if (m_sources->rowCount() == 0)
        m_message->setText(tr("No stored runs yet: run a pack (Scenarios panel), or pick messages in the tracker and choose "
                              "'Evidence report of the selected messages'."));
    m_export->setEnabled(!m_busy && currentSource() && !checkedFormats().isEmpty());
    if (pick >= 0)
        previewSoon();
}

void ReportsWidget::setSelection(const QList<qint64> &messageIds, const QString &description)
{
    m_selectionIds = messageIds;
    m_selectionDescription = description;
    refresh();
    m_sources->selectRow(0);
}

bool ReportsWidget::selectRun(qint64 runId)
{
    for (int row = 0; row < m_sources->rowCount(); ++row)
        if (m_sources->item(row, 0)->data(kIdRole).toLongLong() == runId) {
            m_sources->selectRow(row);
            return true;
        }
    return false;
}

std::optional<ReportsWidget::Source> ReportsWidget::currentSource() const
{
    const auto rows = m_sources->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return std::nullopt;
    Source s;
    s.runId = m_sources->item(rows.first().row(), 0)->data(kIdRole).toLongLong();
    if (s.runId == 0)
        s.messageIds = m_selectionIds;
    return s;
}

QStringList ReportsWidget::checkedFormats() const
{
    QStringList out;
    for (const QCheckBox *box : m_formatBoxes)
        if (box->isChecked())
            out << box->objectName();
    return out;
}

void ReportsWidget::setFormats(const QStringList &formats)
{
    for (QCheckBox *box : std::as_const(m_formatBoxes))
        box->setChecked(formats.contains(box->objectName()));
}

void ReportsWidget::setOutputDir(const QString &dir)
{
    m_outDir->setText(dir);
}

void ReportsWidget::previewSoon()
{
    m_export->setEnabled(!m_busy && currentSource() && !checkedFormats().isEmpty());
    if (currentSource())
        m_previewTimer->start();
}

void ReportsWidget::setBusy(bool busy, const QString &text)
{
    m_busy = busy;
    m_progress->setVisible(busy);
    m_export->setEnabled(!busy && currentSource() && !checkedFormats().isEmpty());
    if (!text.isEmpty())
        m_message->setText(text);
}

void ReportsWidget::startGather(bool thenExport)
{
    const auto source = currentSource();
    if (!source)
        return;
    if (m_shown && m_shownSource == source) {
        if (thenExport)
            writeFiles(*m_shown);
        return;
    }
    const quint64 generation = ++m_generation;
    setBusy(true, source->runId ? tr("Reading run %1…").arg(source->runId) : tr("Reading the selected messages…"));
    report::ExportOptions options;
    options.run = QString::number(source->runId);
    options.messageIds = source->messageIds;
    options.selectionDescription = m_selectionDescription;
    const Workspace workspace(m_workspaceDir);
    // Reads only (a read-only store beside the GUI's writer); the plots are drawn back here.
    auto *watcher = new QFutureWatcher<QPair<std::optional<evidence::EvidenceData>, QString>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation, thenExport, source] {
        auto [e, error] = watcher->result();
        watcher->deleteLater();
        if (generation != m_generation)
            return; // another run was picked meanwhile
        if (e) {
            m_shown = std::move(e);
            m_shownSource = source;
        }
        onGathered(thenExport, e ? m_shown : std::nullopt, error);
    });
    watcher->setFuture(QtConcurrent::run([workspace, options] {
        QString error;
        auto e = report::gatherForExport(workspace, options, &error);
        return qMakePair(std::move(e), error);
    }));
}

void ReportsWidget::onGathered(bool thenExport, std::optional<evidence::EvidenceData> e, const QString &error)
{
    if (!e) {
        setBusy(false, tr("Cannot gather the evidence: %1").arg(error));
        m_preview->clear();
        return;
    }
    showPreview(*e);
    if (thenExport)
        writeFiles(*e);
    else
        setBusy(false, tr("%1: %2 message(s), %3 journal row(s)")
                           .arg(e->selection.isSelection ? e->selection.description : tr("Run %1").arg(e->run.runId))
                           .arg(e->messages.size())
                           .arg(e->journal.size()));
}

void ReportsWidget::showPreview(const evidence::EvidenceData &e)
{
    setBusy(true, tr("Drawing the report…"));
    QApplication::setOverrideCursor(Qt::BusyCursor);
    // The same HTML as the export, with the plots as document resources instead of data: URIs,
    // which QTextBrowser does not load.
    const QUrl latency(QStringLiteral("dipwb-report:latency.png")), volume(QStringLiteral("dipwb-report:volume.png"));
    QTextDocument *doc = m_preview->document();
    doc->addResource(QTextDocument::ImageResource, latency, QImage::fromData(report::latencyPlotPng(e.latency)));
    doc->addResource(QTextDocument::ImageResource, volume, QImage::fromData(report::volumePlotPng(e)));
    const int width = std::clamp(m_preview->viewport()->width() - 40, 320, 900);
    const QByteArray html = evidence::reportHtml(e, {latency.toString(), volume.toString(), width});
    m_preview->setHtml(QString::fromUtf8(html));
    QApplication::restoreOverrideCursor();
    emit previewReady();
}

void ReportsWidget::exportNow()
{
    if (m_busy || !currentSource())
        return;
    if (checkedFormats().isEmpty()) {
        m_message->setText(tr("Check at least one format."));
        return;
    }
    startGather(true);
}

void ReportsWidget::writeFiles(const evidence::EvidenceData &e)
{
    report::ExportOptions options;
    options.formats = checkedFormats();
    options.outDir = m_outDir->text().trimmed();
    options.signDipId = m_signer->currentData().toString();
    setBusy(true, options.formats.contains(QStringLiteral("pdf")) || options.formats.contains(QStringLiteral("bundle"))
                      ? tr("Writing the report and its PDF…")
                      : tr("Writing the report…"));
    QApplication::setOverrideCursor(Qt::BusyCursor);
    report::ExportResult result;
    QString error;
    const bool ok = report::writeExport(Workspace(m_workspaceDir), e, options, &result, &error);
    QApplication::restoreOverrideCursor();
    m_files->clear();
    if (!ok) {
        setBusy(false, tr("Export failed: %1").arg(error));
        return;
    }
    for (const QString &path : std::as_const(result.files)) {
        auto *item = new QListWidgetItem(QDir::toNativeSeparators(path), m_files);
        item->setData(Qt::UserRole, path);
    }
    m_lastFolder = result.files.isEmpty() ? QString() : QFileInfo(result.files.first()).absolutePath();
    m_openFolder->setEnabled(!m_lastFolder.isEmpty());
    setBusy(false, tr("Wrote %n file(s) to %1", nullptr, int(result.files.size())).arg(QDir::toNativeSeparators(m_lastFolder)));
    emit exported(result.files);
}

} // namespace dipwb::ui
