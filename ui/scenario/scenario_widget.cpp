// SPDX-License-Identifier: GPL-3.0-or-later
#include "scenario/scenario_widget.h"

#include "common/install_paths.h"
#include "mainwindow/emulator_host.h"
#include "scenario/pack_loader.h"
#include "store/store.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace dipwb::ui {

namespace {

enum Column { ColId, ColTitle, ColVerdict, ColTime, ColDetail };
constexpr int kRoleCase = Qt::UserRole + 1;     // case id on case items
constexpr int kRoleTx = Qt::UserRole + 2;       // transaction ids on step items

QColor verdictColour(scenario::Verdict v)
{
    switch (v) {
    case scenario::Verdict::Passed: return QColor(0x2e, 0x7d, 0x32);
    case scenario::Verdict::Failed: return QColor(0xc6, 0x28, 0x28);
    case scenario::Verdict::Error: return QColor(0xef, 0x6c, 0x00);
    case scenario::Verdict::Skipped: return QColor(0x75, 0x75, 0x75);
    }
    return {};
}

QString seconds(qint64 ms)
{
    return QString::number(double(ms) / 1000.0, 'f', 2) + QStringLiteral(" s");
}

} // namespace

ScenarioWidget::ScenarioWidget(EmulatorHost *host, QWidget *parent) : QWidget(parent), m_host(host)
{
    m_packs = new QComboBox(this);
    m_packs->setToolTip(tr("Packs shipped with the workbench"));
    const QString bundled = install::bundledPacksDir();
    if (!bundled.isEmpty())
        for (const QString &name : QDir(bundled).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name))
            if (QFileInfo::exists(QDir(bundled).filePath(name + QStringLiteral("/pack.yaml"))))
                m_packs->addItem(name, QDir(bundled).filePath(name));
    auto *open = new QPushButton(tr("Open…"), this);
    open->setToolTip(tr("Open a pack folder or file (Ctrl+Shift+O)"));
    m_selfTest = new QCheckBox(tr("Self-test"), this);
    m_selfTest->setToolTip(tr("Play the parties under test with the pack's stand-ins"));
    m_run = new QPushButton(tr("Run"), this);
    m_run->setToolTip(tr("Run the ticked cases against the local DIP (F9)"));
    m_stop = new QPushButton(tr("Stop"), this);
    m_stop->setToolTip(tr("Stop the run: running cases end as errors (Shift+F9)"));
    m_progress = new QProgressBar(this);
    m_progress->setFormat(tr("%v of %m cases"));
    m_progress->setValue(0);
    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Pack:"), this));
    bar->addWidget(m_packs, 1);
    bar->addWidget(open);
    bar->addWidget(m_selfTest);
    bar->addWidget(m_run);
    bar->addWidget(m_stop);
    bar->addWidget(m_progress, 1);

    m_message = new QLabel(this);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->hide();

    m_tree = new QTreeWidget(this);
    m_tree->setColumnCount(5);
    m_tree->setHeaderLabels({tr("Id"), tr("Title"), tr("Verdict"), tr("Time"), tr("Detail")});
    m_tree->header()->setSectionResizeMode(ColDetail, QHeaderView::Stretch);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_log = new QPlainTextEdit(this);
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(20000); // bounded: a long run never grows the log without end
    m_log->setPlaceholderText(tr("The step log of the run appears here."));
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_tree);
    split->addWidget(m_log);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_message);
    layout->addWidget(split, 1);

    connect(m_packs, &QComboBox::activated, this, [this](int i) { openPack(m_packs->itemData(i).toString()); });
    connect(open, &QPushButton::clicked, this, &ScenarioWidget::chooseAndOpen);
    connect(m_run, &QPushButton::clicked, this, &ScenarioWidget::run);
    connect(m_stop, &QPushButton::clicked, this, &ScenarioWidget::stop);
    connect(m_tree, &QTreeWidget::itemDoubleClicked, this, [this](QTreeWidgetItem *item) { onActivated(item); });
    connect(m_tree, &QTreeWidget::itemChanged, this, [this](QTreeWidgetItem *, int column) {
        if (column == ColId)
            updateButtons();
    });
    connect(host, &EmulatorHost::runProgress, this, [this](int done, int total) {
        m_progress->setMaximum(std::max(total, 1));
        m_progress->setValue(done);
    });
    connect(host, &EmulatorHost::runCaseStarted, this, &ScenarioWidget::onCaseStarted);
    connect(host, &EmulatorHost::runStepFinished, this, &ScenarioWidget::onStep);
    connect(host, &EmulatorHost::runCaseFinished, this, &ScenarioWidget::onCase);
    connect(host, &EmulatorHost::runFinished, this, &ScenarioWidget::onFinished);
    connect(host, &EmulatorHost::started, this, &ScenarioWidget::updateButtons);
    connect(host, &EmulatorHost::stopped, this, &ScenarioWidget::updateButtons);
    // Start on the SIT starter when it is there: it runs against the default environment.
    if (m_packs->count() > 0) {
        const int sit = m_packs->findText(QStringLiteral("sit-functional"));
        openPack(m_packs->itemData(sit >= 0 ? sit : 0).toString());
    }
    updateButtons();
}

void ScenarioWidget::chooseAndOpen()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open scenario pack"), install::bundledPacksDir(),
                                                      tr("Scenario packs (*.yaml *.yml *.json)"));
    if (!path.isEmpty())
        openPack(path);
}

bool ScenarioWidget::openPack(const QString &path)
{
    Issues issues;
    auto pack = scenario::loadPack(path, *m_host->catalogue(), &issues);
    if (!pack) {
        QStringList lines;
        for (const Issue &i : std::as_const(issues))
            lines << i.toString().toHtmlEscaped();
        m_message->setText(tr("<b style='color:#c62828'>The pack %1 cannot run:</b><br>%2")
                               .arg(path.toHtmlEscaped(), lines.join(QStringLiteral("<br>"))));
        m_message->show();
        m_pack.reset();
        m_tree->clear();
        m_caseItems.clear();
        updateButtons();
        return false;
    }
    m_pack = std::move(pack);
    // The chooser shows the pack now open (or nothing, for a pack from elsewhere).
    const QString opened = QFileInfo(path).isDir() ? QDir::cleanPath(QFileInfo(path).absoluteFilePath())
                                                   : QDir::cleanPath(QFileInfo(path).absolutePath());
    int shown = -1;
    for (int i = 0; i < m_packs->count(); ++i)
        if (QDir::cleanPath(QFileInfo(m_packs->itemData(i).toString()).absoluteFilePath()) == opened)
            shown = i;
    m_packs->setCurrentIndex(shown);
    m_message->setText(tr("<b>%1</b> %2 · %3 · environment %4 · %5 cases%6")
                           .arg(m_pack->title.toHtmlEscaped(), m_pack->version, m_pack->stage, m_pack->environment)
                           .arg(m_pack->caseCount())
                           .arg(m_pack->environment != m_host->config().environment
                                    ? tr(" · <span style='color:#c62828'>the local DIP emulates %1: start the workbench with "
                                         "--environment %2 to run it</span>")
                                          .arg(m_host->config().environment, m_pack->environment)
                                    : QString()));
    m_message->show();
    bool anyUnderTest = false;
    for (const auto &p : m_pack->participants)
        anyUnderTest = anyUnderTest || p.underTest;
    m_selfTest->setEnabled(anyUnderTest);
    fillTree();
    updateButtons();
    return true;
}

void ScenarioWidget::fillTree()
{
    m_tree->clear();
    m_caseItems.clear();
    const QSignalBlocker block(m_tree);
    for (const scenario::Scenario &s : m_pack->scenarios) {
        auto *si = new QTreeWidgetItem(m_tree, {s.id, s.title});
        si->setFlags(si->flags() | Qt::ItemIsUserCheckable | Qt::ItemIsAutoTristate);
        si->setCheckState(ColId, Qt::Checked);
        si->setFirstColumnSpanned(false);
        for (const scenario::TestCase &c : s.cases) {
            auto *ci = new QTreeWidgetItem(si, {c.id, c.title});
            ci->setFlags(ci->flags() | Qt::ItemIsUserCheckable);
            ci->setCheckState(ColId, Qt::Checked);
            ci->setData(ColId, kRoleCase, c.id);
            ci->setToolTip(ColTitle, tr("Requirements: %1\n%2").arg(c.requirements.join(QStringLiteral(", ")), c.pos.toString()));
            m_caseItems.insert(c.id, ci);
        }
        si->setExpanded(true);
    }
    m_tree->resizeColumnToContents(ColId);
    // Titles are what a tester reads first; the detail column takes the rest.
    m_tree->setColumnWidth(ColTitle, std::max(m_tree->columnWidth(ColTitle), 420));
    m_tree->setColumnWidth(ColVerdict, 80);
}

QStringList ScenarioWidget::checkedCases() const
{
    QStringList out;
    for (auto it = m_caseItems.cbegin(); it != m_caseItems.cend(); ++it)
        if (it.value()->checkState(ColId) == Qt::Checked)
            out << it.key();
    return out;
}

void ScenarioWidget::selectCases(const QStringList &ids)
{
    for (auto it = m_caseItems.cbegin(); it != m_caseItems.cend(); ++it)
        it.value()->setCheckState(ColId, ids.contains(it.key()) ? Qt::Checked : Qt::Unchecked);
}

void ScenarioWidget::setSelfTest(bool on)
{
    m_selfTest->setChecked(on);
}

QString ScenarioWidget::problems() const
{
    return m_message->isHidden() ? QString() : m_message->text();
}

void ScenarioWidget::updateButtons()
{
    const bool running = m_host->isRunningPack();
    m_run->setEnabled(m_pack && !running && m_host->isRunning() && !checkedCases().isEmpty());
    m_run->setToolTip(m_host->isRunning() ? tr("Run the ticked cases against the local DIP (F9)")
                                          : tr("Start the local DIP first (F5)"));
    m_stop->setEnabled(running);
    m_packs->setEnabled(!running);
}

void ScenarioWidget::run()
{
    if (!m_pack || m_host->isRunningPack())
        return;
    const QStringList chosen = checkedCases();
    if (chosen.isEmpty())
        return;
    scenario::RunOptions options;
    if (chosen.size() != m_caseItems.size())
        options.caseIds = chosen;
    options.selfTest = m_selfTest->isChecked() && m_selfTest->isEnabled();
    for (QTreeWidgetItem *ci : std::as_const(m_caseItems)) {
        qDeleteAll(ci->takeChildren());
        for (int c = ColVerdict; c <= ColDetail; ++c)
            ci->setText(c, QString());
    }
    m_log->clear();
    m_log->appendPlainText(tr("Running %1 %2: %3 of %4 cases%5")
                               .arg(m_pack->id, m_pack->version)
                               .arg(chosen.size())
                               .arg(m_caseItems.size())
                               .arg(options.selfTest ? tr(", self-test") : QString()));
    m_progress->setMaximum(std::max(int(chosen.size()), 1));
    m_progress->setValue(0);
    m_host->runPack(*m_pack, options);
    updateButtons();
}

void ScenarioWidget::stop()
{
    m_host->stopRun();
}

void ScenarioWidget::onCaseStarted(const QString &caseId)
{
    if (QTreeWidgetItem *ci = m_caseItems.value(caseId)) {
        ci->setText(ColVerdict, tr("running…"));
        ci->setForeground(ColVerdict, palette().color(QPalette::Text));
    }
}

void ScenarioWidget::onStep(const QString &caseId, const scenario::StepResult &step)
{
    QTreeWidgetItem *ci = m_caseItems.value(caseId);
    if (!ci)
        return;
    auto *si = new QTreeWidgetItem(ci, {QStringLiteral("%1").arg(step.index + 1), step.label.isEmpty() ? step.kind : step.label,
                                        scenario::verdictName(step.verdict), seconds(step.endedMs - step.startedMs), step.detail});
    si->setForeground(ColVerdict, verdictColour(step.verdict));
    si->setToolTip(ColDetail, step.detail + QStringLiteral("\n") + step.where);
    si->setData(ColId, kRoleTx, step.transactionIds);
    m_log->appendPlainText(QStringLiteral("%1 step %2 %3 [%4] %5").arg(caseId).arg(step.index + 1).arg(step.kind,
                                                                                                         scenario::verdictName(step.verdict),
                                                                                                         step.detail));
}

void ScenarioWidget::onCase(const scenario::CaseResult &r)
{
    QTreeWidgetItem *ci = m_caseItems.value(r.id);
    if (!ci)
        return;
    ci->setText(ColVerdict, scenario::verdictName(r.verdict));
    ci->setForeground(ColVerdict, verdictColour(r.verdict));
    ci->setText(ColTime, seconds(r.endedMs - r.startedMs));
    ci->setText(ColDetail, r.reason);
    ci->setToolTip(ColDetail, r.reason);
    if (r.verdict != scenario::Verdict::Passed)
        ci->setExpanded(true);
    for (const QString &line : r.log)
        m_log->appendPlainText(QStringLiteral("%1 · %2").arg(r.id, line));
}

void ScenarioWidget::onFinished(const scenario::RunResult &r)
{
    // Cases skipped without starting (not ticked, or the run stopped) are marked too.
    for (const scenario::CaseResult &c : r.cases)
        if (QTreeWidgetItem *ci = m_caseItems.value(c.id); ci && ci->text(ColVerdict).isEmpty()) {
            ci->setText(ColVerdict, scenario::verdictName(c.verdict));
            ci->setForeground(ColVerdict, verdictColour(c.verdict));
            ci->setText(ColDetail, c.reason);
        }
    if (!r.setupError.isEmpty())
        m_log->appendPlainText(tr("The run could not start: %1").arg(r.setupError));
    m_log->appendPlainText(scenario::summaryText(r).trimmed().split(QLatin1Char('\n')).last());
    updateButtons();
    emit runEnded(r);
}

void ScenarioWidget::onActivated(QTreeWidgetItem *item)
{
    const QStringList tx = item->data(ColId, kRoleTx).toStringList();
    for (const QString &t : tx) {
        if (const auto m = m_host->store()->messageByTransactionId(t)) {
            emit messageRequested(m->id);
            return;
        }
        if (const auto d = m_host->store()->deliveryByTransactionId(t); d && d->messageId) {
            emit messageRequested(d->messageId);
            return;
        }
    }
}

} // namespace dipwb::ui
