// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "scenario/pack.h"
#include "scenario/run_result.h"

#include <QHash>
#include <QWidget>
#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace dipwb::ui {

class EmulatorHost;

/// The scenario runner panel: pick a bundled pack or open one, tick the scenarios and cases to
/// run, run or stop them against the local DIP, and follow each case, step by step, with the
/// reason of every failure. Double-clicking a step shows the message it sent or matched.
class ScenarioWidget final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ScenarioWidget)
public:
    ScenarioWidget(EmulatorHost *host, QWidget *parent = nullptr);

    /// Loads a pack (folder or file); false with the problems shown in the panel.
    bool openPack(const QString &path);
    void run();
    void stop();
    void chooseAndOpen();

    QTreeWidget *tree() const { return m_tree; }
    QPlainTextEdit *log() const { return m_log; }
    const std::optional<scenario::Pack> &pack() const { return m_pack; }
    QString problems() const;
    void setSelfTest(bool on);
    /// Ticks exactly these case ids (others unticked).
    void selectCases(const QStringList &ids);

signals:
    void messageRequested(qint64 messageId);
    void runEnded(const dipwb::scenario::RunResult &result);

private:
    void fillTree();
    void onStep(const QString &caseId, const scenario::StepResult &step);
    void onCaseStarted(const QString &caseId);
    void onCase(const scenario::CaseResult &result);
    void onFinished(const scenario::RunResult &result);
    void onActivated(QTreeWidgetItem *item);
    void updateButtons();
    QStringList checkedCases() const;

    EmulatorHost *m_host;
    std::optional<scenario::Pack> m_pack;
    QComboBox *m_packs;
    QCheckBox *m_selfTest;
    QPushButton *m_run;
    QPushButton *m_stop;
    QProgressBar *m_progress;
    QLabel *m_message;
    QTreeWidget *m_tree;
    QPlainTextEdit *m_log;
    QHash<QString, QTreeWidgetItem *> m_caseItems;
};

} // namespace dipwb::ui
