// SPDX-License-Identifier: GPL-3.0-or-later
// Where an installed, bundled or build-tree program finds the scenario packs shipped with it.
#include "common/install_paths.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace dipwb;

class TestInstallPaths final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_tmp;

    QString make(const QString &relative)
    {
        const QString path = m_tmp.path() + QLatin1Char('/') + relative;
        if (!QDir().mkpath(path))
            qFatal("cannot create %s", qPrintable(path));
        return QDir::cleanPath(path);
    }

private slots:
    void init()
    {
        QVERIFY(m_tmp.isValid());
        QVERIFY(QDir(m_tmp.path()).removeRecursively());
        QVERIFY(QDir().mkpath(m_tmp.path()));
    }

    void installedLayoutBesideTheProgram()
    {
        const QString bin = make(QStringLiteral("usr/bin"));
        const QString packs = make(QStringLiteral("usr/share/dip-workbench/testpacks"));
        const QString source = make(QStringLiteral("src/testpacks"));
        // Installed files win over the source tree, and the path comes back without "..".
        QCOMPARE(install::bundledPacksDir({}, bin, source), packs);
    }

    void macBundleResources()
    {
        const QString macos = make(QStringLiteral("DIP Workbench.app/Contents/MacOS"));
        const QString packs = make(QStringLiteral("DIP Workbench.app/Contents/Resources/testpacks"));
        QCOMPARE(install::bundledPacksDir({}, macos, {}), packs);
    }

    void buildTreeFallsBackToSourceTree()
    {
        const QString bin = make(QStringLiteral("build/app"));
        const QString source = make(QStringLiteral("src/testpacks"));
        QCOMPARE(install::bundledPacksDir({}, bin, source), source);
    }

    void aFileIsNotAPacksFolder()
    {
        const QString bin = make(QStringLiteral("usr/bin"));
        make(QStringLiteral("usr/share/dip-workbench"));
        QFile file(m_tmp.path() + QStringLiteral("/usr/share/dip-workbench/testpacks"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        const QString source = make(QStringLiteral("src/testpacks"));
        QCOMPARE(install::bundledPacksDir({}, bin, source), source);
    }

    void nothingFoundIsEmpty()
    {
        const QString bin = make(QStringLiteral("usr/bin"));
        QCOMPARE(install::bundledPacksDir({}, bin, m_tmp.path() + QStringLiteral("/no-such-tree/testpacks")), QString());
        QCOMPARE(install::bundledPacksDir({}, {}, {}), QString());
    }

    void overrideWinsEvenWhenMissing()
    {
        const QString bin = make(QStringLiteral("usr/bin"));
        make(QStringLiteral("usr/share/dip-workbench/testpacks"));
        const QString mine = make(QStringLiteral("my/packs"));
        QCOMPARE(install::bundledPacksDir(mine + QStringLiteral("/../packs/"), bin, {}), mine);
        // A folder that is not there is still the answer: the reader reports it, nothing else is used.
        const QString typo = m_tmp.path() + QStringLiteral("/my/pakcs");
        QCOMPARE(install::bundledPacksDir(typo, bin, {}), QDir::cleanPath(typo));
    }

    void environmentAndBuildTreeOfThisProgram()
    {
        // This test runs from the build tree: nothing is installed beside it, so the answer is the
        // source tree the build was configured from, unless the environment names another folder.
        const QString sourceDir = qEnvironmentVariable("DIPWB_SOURCE_DIR");
        if (sourceDir.isEmpty())
            QSKIP("DIPWB_SOURCE_DIR is not set (run through ctest)");
        qunsetenv(install::kPacksDirVariable);
        QCOMPARE(install::sourceTreePacksDir(), QDir::cleanPath(sourceDir + QStringLiteral("/testpacks")));
        QCOMPARE(install::bundledPacksDir(), QDir::cleanPath(sourceDir + QStringLiteral("/testpacks")));

        const QString mine = make(QStringLiteral("env/packs"));
        qputenv(install::kPacksDirVariable, mine.toUtf8());
        QCOMPARE(install::bundledPacksDir(), mine);
        qputenv(install::kPacksDirVariable, QByteArray());
        QCOMPARE(install::bundledPacksDir(), QDir::cleanPath(sourceDir + QStringLiteral("/testpacks")));
        qunsetenv(install::kPacksDirVariable);
    }
};

QTEST_GUILESS_MAIN(TestInstallPaths)
#include "test_install_paths.moc"
