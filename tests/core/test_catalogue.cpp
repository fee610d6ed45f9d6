// SPDX-License-Identifier: GPL-3.0-or-later
#include "catalogue/catalogue.h"

#include <QTest>

using namespace dipwb;
using namespace dipwb::catalogue;

class TestCatalogue final : public QObject
{
    Q_OBJECT
private slots:
    void builtInCoversTheCoreChannels()
    {
        const auto cat = Catalogue::builtIn();
        QVERIFY(cat);
        for (const char *id : {"IF-001", "IF-002", "IF-021", "IF-031", "IF-032", "IF-033", "IF-034", "IF-035",
                               "IF-036", "IF-037", "IF-041"}) {
            const ChannelDef *ch = cat->channel(QLatin1String(id));
            QVERIFY2(ch, id);
            QVERIFY2(!ch->events.isEmpty(), id);
            QCOMPARE(ch->publicationId, QStringLiteral("PUB-") + QLatin1String(id).mid(3));
        }
        const ChannelDef *if033 = cat->channel(QStringLiteral("IF-033"));
        QVERIFY(if033->event(QStringLiteral("[MSAppSPRequest]")));
        QCOMPARE(if033->event(QStringLiteral("[MSAppSPRequest]"))->schemaVersion, QStringLiteral("011"));
        QVERIFY(!if033->event(QStringLiteral("MSAppSPRequest")));
        const ChannelDef *if021 = cat->channel(QStringLiteral("IF-021"));
        QVERIFY(if021->secondaryRoles.contains(QStringLiteral("SUP")));
        QVERIFY(!if021->businessDatePath.isEmpty());
        QVERIFY(!cat->channel(QStringLiteral("IF-036"))->effects.isEmpty());
    }

    void publicationIdsMapToChannels()
    {
        const auto cat = Catalogue::builtIn();
        QCOMPARE(cat->channelForPublication(QStringLiteral("PUB-033")), QStringLiteral("IF-033"));
        QCOMPARE(cat->channelForPublication(QStringLiteral("pub-021")), QStringLiteral("IF-021"));
        QCOMPARE(cat->channelForPublication(QStringLiteral("IF-001")), QStringLiteral("IF-001"));
        QCOMPARE(cat->channelForPublication(QStringLiteral("PUB-999")), QString());
    }

    void badCatalogueNamesTheProblem_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("phrase");
        QTest::newRow("not json") << QByteArray("{") << "not a JSON object";
        QTest::newRow("wrong format") << QByteArray(R"({"format":"x","channels":[]})") << "format must be";
        QTest::newRow("no channels") << QByteArray(R"({"format":"dipwb-catalogue/1"})") << "channels must be an array";
        QTest::newRow("no id") << QByteArray(R"({"format":"dipwb-catalogue/1","channels":[{}]})") << "channels[0].id is missing";
        QTest::newRow("twice")
            << QByteArray(R"({"format":"dipwb-catalogue/1","channels":[{"id":"IF-1","events":[{"code":"[A]"}]},{"id":"IF-1","events":[{"code":"[A]"}]}]})")
            << "defined twice";
        QTest::newRow("no events") << QByteArray(R"({"format":"dipwb-catalogue/1","channels":[{"id":"IF-1"}]})") << "has no events";
        QTest::newRow("bad action")
            << QByteArray(R"({"format":"dipwb-catalogue/1","channels":[{"id":"IF-1","events":[{"code":"[A]"}],"effects":[{"action":"x"}]}]})")
            << "channels[0].effects[0].action";
        QTest::newRow("roles not list")
            << QByteArray(R"({"format":"dipwb-catalogue/1","channels":[{"id":"IF-1","events":[{"code":"[A]"}],"senderRoles":"SUP"}]})")
            << "channels[0].senderRoles must be an array";
    }
    void badCatalogueNamesTheProblem()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, phrase);
        Issues issues;
        QVERIFY(!Catalogue::fromJson(json, QStringLiteral("bad.json"), &issues));
        QVERIFY(!issues.isEmpty());
        bool found = false;
        for (const Issue &i : issues) {
            QCOMPARE(i.context, QStringLiteral("bad.json"));
            found = found || i.text.contains(phrase);
        }
        QVERIFY2(found, qPrintable(issues.first().text));
    }
};

QTEST_GUILESS_MAIN(TestCatalogue)
#include "test_catalogue.moc"
