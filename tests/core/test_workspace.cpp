// SPDX-License-Identifier: GPL-3.0-or-later
// The default workspace: one folder for the desktop and dipwb, created on the first launch.
#include "common/workspace.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace dipwb;

class TestWorkspace final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dataHome;

private slots:
    void initTestCase()
    {
#ifndef Q_OS_LINUX
        QSKIP("the data folder is redirected through XDG_DATA_HOME, which only Linux reads");
#endif
        QVERIFY(m_dataHome.isValid());
        qputenv("XDG_DATA_HOME", m_dataHome.path().toUtf8());
        QCoreApplication::setApplicationName(QStringLiteral("dip-workbench"));
    }

    void sameFolderWithOrWithoutOrganisation()
    {
        // dipwb sets no organisation name, the desktop sets one for its QSettings: both must open
        // the same workspace, the one the documentation names.
        const QString expected = QDir::cleanPath(m_dataHome.path() + QStringLiteral("/dip-workbench"));
        QCoreApplication::setOrganizationName({});
        QCOMPARE(Workspace::defaultDir(), expected);
        QCoreApplication::setOrganizationName(QStringLiteral("dip-workbench"));
        QCOMPARE(Workspace::defaultDir(), expected);
        QCoreApplication::setOrganizationName({});
    }

    void firstLaunchCreatesTheDefaultWorkspace()
    {
        const Workspace ws(Workspace::defaultDir());
        QVERIFY(!QFileInfo::exists(ws.dir()));
        QString error;
        QVERIFY2(ws.ensure(&error), qPrintable(error));
        for (const QString &dir : {ws.dir(), ws.certificatesDir(), ws.reportsDir(), ws.cataloguesDir()})
            QVERIFY2(QFileInfo(dir).isDir(), qPrintable(dir));
        QVERIFY2(ws.ensure(&error), qPrintable(error)); // the second launch finds it in place
        QVERIFY(QDir(ws.dir()).removeRecursively());
    }

    void aFileInThePlaceOfTheWorkspaceIsReported()
    {
        const QString path = m_dataHome.path() + QStringLiteral("/dip-workbench");
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        QString error;
        QVERIFY(!Workspace(Workspace::defaultDir()).ensure(&error));
        QCOMPARE(error, QStringLiteral("%1 exists but is not a folder").arg(QDir::cleanPath(path)));
        QVERIFY(QFile::remove(path));
    }
};

QTEST_GUILESS_MAIN(TestWorkspace)
#include "test_workspace.moc"
