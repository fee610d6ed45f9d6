// SPDX-License-Identifier: GPL-3.0-or-later
#include "participants/participant_loader.h"

#include "common/key_hint.h"
#include "common/log.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QSet>

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <optional>

namespace dipwb::participants {

namespace {

const QString kFileUnreadable = QStringLiteral("PAR001");
const QString kSyntax = QStringLiteral("PAR002");
const QString kStructure = QStringLiteral("PAR003");
const QString kUnknownKey = QStringLiteral("PAR004");
const QString kMissing = QStringLiteral("PAR005");
const QString kWrongType = QStringLiteral("PAR006");
const QString kNobody = QStringLiteral("PAR007");
const QString kDipId = QStringLiteral("PAR010");
const QString kRole = QStringLiteral("PAR011");
const QString kMpid = QStringLiteral("PAR012");
const QString kUrl = QStringLiteral("PAR013");
const QString kChannel = QStringLiteral("PAR014");
const QString kDuplicateDipId = QStringLiteral("PAR015");
const QString kDuplicateMpidRole = QStringLiteral("PAR016");
const QString kKeyTwice = QStringLiteral("PAR017");

const QStringList &participantKeys()
{
    static const QStringList keys{QStringLiteral("dipId"),    QStringLiteral("role"),   QStringLiteral("mpid"),
                                  QStringLiteral("name"),     QStringLiteral("simulated"), QStringLiteral("apiKey"),
                                  QStringLiteral("statusWebhook"), QStringLiteral("webhooks")};
    return keys;
}

QString keyText(const YAML::Node &key)
{
    return key.IsScalar() ? QString::fromStdString(key.Scalar()) : QStringLiteral("<not a text key>");
}

/// One parse: where the bytes came from, and whether anything was wrong so far.
class Reader
{
public:
    Reader(const QString &origin, Issues *issues) : m_origin(origin), m_issues(issues) {}

    bool failed() const { return m_failed; }

    /// 1-based line of a yaml-cpp mark (0-based), or `fallback` when the node has no position.
    static int lineOf(const YAML::Mark &mark, int fallback = 1) { return mark.line >= 0 ? mark.line + 1 : fallback; }

    void error(const QString &code, const QString &text, int line)
    {
        m_failed = true;
        m_issues->append(Issue::error(code, text, where(line)));
    }
    void warning(const QString &code, const QString &text, int line)
    {
        m_issues->append(Issue::warning(code, text, where(line)));
    }

    /// The value of a text field; null reads as empty. Reports a list or a map given instead.
    std::optional<QString> text(const YAML::Node &value, const QString &path, int line)
    {
        if (value.IsNull())
            return QString();
        if (value.IsScalar())
            return QString::fromStdString(value.Scalar());
        error(kWrongType, QStringLiteral("%1 must be a single value, not %2").arg(path, kindOf(value)), line);
        return std::nullopt;
    }

    QList<Participant> read(const YAML::Node &root);

private:
    struct Seen
    {
        int index = 0;
        int line = 0;
        QString dipId;
    };

    static QString kindOf(const YAML::Node &n)
    {
        if (n.IsSequence())
            return QStringLiteral("a list");
        if (n.IsMap())
            return QStringLiteral("a map");
        return n.IsNull() ? QStringLiteral("empty") : QStringLiteral("a single value");
    }
    QString where(int line) const { return m_origin + QLatin1Char(':') + QString::number(line); }

    std::optional<Participant> readParticipant(const YAML::Node &item, int index);
    void readWebhooks(const YAML::Node &value, const QString &path, int line, Participant *p);

    QString m_origin;
    Issues *m_issues;
    bool m_failed = false;
    QHash<QString, Seen> m_byDipId;      ///< dipId -> first participant with it
    QHash<QString, Seen> m_byMpidRole;   ///< "MPID/ROLE" -> first participant with it
};

QList<Participant> Reader::read(const YAML::Node &root)
{
    const int rootLine = lineOf(root.Mark());
    if (!root.IsMap()) {
        error(kStructure, QStringLiteral("the top level must be a map with a 'participants' list, not %1").arg(kindOf(root)),
              rootLine);
        return {};
    }
    // A default YAML::Node counts as defined and assigning to a bound node writes through it, so
    // the list is held in an optional rather than tested with operator!.
    std::optional<YAML::Node> found;
    int listLine = rootLine;
    for (auto it = root.begin(); it != root.end(); ++it) {
        const QString key = keyText(it->first);
        const int line = lineOf(it->first.Mark(), rootLine);
        if (key == QLatin1String("participants") && !found) {
            found.emplace(it->second);
            listLine = line;
        } else if (key == QLatin1String("participants")) {
            error(kKeyTwice, QStringLiteral("participants is given twice (first on line %1)").arg(listLine), line);
        } else {
            error(kUnknownKey, QStringLiteral("unknown top-level key '%1'; the file holds one key, 'participants'").arg(key),
                  line);
        }
    }
    if (!found) {
        error(kStructure, QStringLiteral("'participants' is missing; the top level must be a map with a 'participants' list"),
              rootLine);
        return {};
    }
    const YAML::Node list = *found;
    if (list.IsNull() || (list.IsSequence() && list.size() == 0)) {
        warning(kNobody, QStringLiteral("participants is empty: no participant is defined"), listLine);
        return {};
    }
    if (!list.IsSequence()) {
        error(kStructure, QStringLiteral("participants must be a list of participants ('- dipId: ...' items), not %1")
                              .arg(kindOf(list)),
              listLine);
        return {};
    }
    QList<Participant> out;
    for (std::size_t i = 0; i < list.size(); ++i) {
        if (auto p = readParticipant(list[i], int(i)))
            out.append(*p);
    }
    return out;
}

std::optional<Participant> Reader::readParticipant(const YAML::Node &item, int index)
{
    const QString path = QStringLiteral("participants[%1]").arg(index);
    const int itemLine = lineOf(item.Mark());
    if (!item.IsMap()) {
        error(kStructure, QStringLiteral("%1 must be a map of fields (dipId, role, mpid...), not %2").arg(path, kindOf(item)),
              itemLine);
        return std::nullopt;
    }

    Participant p;
    bool ok = true;
    QHash<QString, int> lines; // key -> line it is on
    QSet<QString> unreadable;  // keys whose value had the wrong type, already reported
    for (auto it = item.begin(); it != item.end(); ++it) {
        const QString key = keyText(it->first);
        const int line = lineOf(it->first.Mark(), itemLine);
        const QString field = path + QLatin1Char('.') + key;
        if (lines.contains(key)) {
            error(kKeyTwice, QStringLiteral("%1 is given twice (first on line %2)").arg(field, QString::number(lines.value(key))),
                  line);
            ok = false;
            continue;
        }
        lines.insert(key, line);
        if (!participantKeys().contains(key)) {
            const QString hint = likelyKey(key, participantKeys());
            error(kUnknownKey,
                  QStringLiteral("%1: unknown key '%2'%3; known keys are %4")
                      .arg(path, key, hint.isEmpty() ? QString() : QStringLiteral(" (did you mean '%1'?)").arg(hint),
                           participantKeys().join(QStringLiteral(", "))),
                  line);
            ok = false;
            continue;
        }
        const YAML::Node value = it->second; // a copy: the iterator's proxy is a temporary
        if (key == QLatin1String("webhooks")) {
            readWebhooks(value, field, line, &p);
            continue;
        }
        if (key == QLatin1String("simulated")) {
            bool b = false;
            if (value.IsNull())
                continue;
            if (!value.IsScalar() || !YAML::convert<bool>::decode(value, b)) {
                error(kWrongType, QStringLiteral("%1 must be true or false").arg(field), line);
                unreadable.insert(key);
                ok = false;
            }
            p.simulated = b;
            continue;
        }
        const std::optional<QString> s = text(value, field, line);
        if (!s) {
            unreadable.insert(key);
            ok = false;
            continue;
        }
        if (key == QLatin1String("dipId"))
            p.dipId = *s;
        else if (key == QLatin1String("role"))
            p.role = *s;
        else if (key == QLatin1String("mpid"))
            p.mpid = *s;
        else if (key == QLatin1String("name"))
            p.name = s->trimmed();
        else if (key == QLatin1String("apiKey"))
            p.apiKey = *s;
        else if (key == QLatin1String("statusWebhook"))
            p.statusWebhook = *s;
    }

    // Field checks: the messages are the editor's, prefixed with this participant's path.
    auto check = [&](const QString &code, const QString &key, const QString &problem) {
        if (problem.isEmpty())
            return true;
        error(code, QStringLiteral("%1.%2: %3").arg(path, key, problem), lines.value(key, itemLine));
        ok = false;
        return false;
    };
    for (const char *required : {"dipId", "role", "mpid"}) {
        if (!lines.contains(QLatin1String(required))) {
            error(kMissing, QStringLiteral("%1.%2 is missing").arg(path, QLatin1String(required)), itemLine);
            ok = false;
        }
    }
    auto readable = [&](const QString &key) { return lines.contains(key) && !unreadable.contains(key); };
    const bool dipIdOk = readable(QStringLiteral("dipId")) && check(kDipId, QStringLiteral("dipId"), dipIdProblem(p.dipId));
    const bool roleOk = readable(QStringLiteral("role")) && check(kRole, QStringLiteral("role"), roleProblem(p.role));
    const bool mpidOk = readable(QStringLiteral("mpid")) && check(kMpid, QStringLiteral("mpid"), mpidProblem(p.mpid));
    const bool mpidRoleOk = roleOk && mpidOk;
    if (!p.apiKey.isEmpty())
        check(kWrongType, QStringLiteral("apiKey"), apiKeyProblem(p.apiKey));
    if (!p.statusWebhook.isEmpty())
        check(kUrl, QStringLiteral("statusWebhook"), webhookUrlProblem(p.statusWebhook));

    if (dipIdOk) {
        const int line = lines.value(QStringLiteral("dipId"));
        if (const auto first = m_byDipId.constFind(p.dipId); first != m_byDipId.cend()) {
            error(kDuplicateDipId,
                  QStringLiteral("%1.dipId: '%2' is already used by participants[%3] on line %4 (and again here, line %5)")
                      .arg(path, p.dipId)
                      .arg(first->index)
                      .arg(first->line)
                      .arg(line),
                  line);
            ok = false;
        } else {
            m_byDipId.insert(p.dipId, Seen{index, line, p.dipId});
        }
    }
    if (mpidRoleOk) {
        const QString key = p.mpid + QLatin1Char('/') + p.role;
        const int line = lines.value(QStringLiteral("mpid"));
        if (const auto first = m_byMpidRole.constFind(key); first != m_byMpidRole.cend()) {
            error(kDuplicateMpidRole,
                  QStringLiteral("%1: MPID %2 already has a DIP id for role %3 (%4, participants[%5] on line %6); "
                                 "one DIP id per (MPID, role)")
                      .arg(path, p.mpid, p.role, first->dipId)
                      .arg(first->index)
                      .arg(first->line),
                  line);
            ok = false;
        } else {
            m_byMpidRole.insert(key, Seen{index, line, p.dipId});
        }
    }

    if (p.name.isEmpty())
        p.name = p.role + QLatin1Char(' ') + p.mpid;
    if (!ok)
        return std::nullopt;
    return p;
}

void Reader::readWebhooks(const YAML::Node &value, const QString &path, int line, Participant *p)
{
    if (value.IsNull())
        return;
    if (!value.IsMap()) {
        error(kStructure,
              QStringLiteral("%1 must be a map of channel -> URL (IF-033: http://...), not %2").arg(path, kindOf(value)), line);
        return;
    }
    QHash<QString, int> lines; // normalised channel -> line
    for (auto it = value.begin(); it != value.end(); ++it) {
        const QString key = keyText(it->first);
        const int keyLine = lineOf(it->first.Mark(), line);
        const QString field = path + QLatin1Char('.') + key;
        if (!isChannelId(key)) {
            error(kChannel, QStringLiteral("%1: '%2' is not a channel id (IF-nnn, PUB-nnn or REP-nnn[A|B])").arg(field, key),
                  keyLine);
            continue;
        }
        const QString channel = normaliseChannelId(key);
        if (lines.contains(channel)) {
            error(kKeyTwice,
                  QStringLiteral("%1: channel %2 is given twice (first on line %3)")
                      .arg(field, channel, QString::number(lines.value(channel))),
                  keyLine);
            continue;
        }
        lines.insert(channel, keyLine);
        const std::optional<QString> url = text(it->second, field, keyLine);
        if (!url)
            continue;
        if (const QString problem = webhookUrlProblem(*url); !problem.isEmpty()) {
            error(kUrl, QStringLiteral("%1: %2").arg(field, problem), keyLine);
            continue;
        }
        p->webhooks.insert(channel, *url);
    }
}

} // namespace

QList<Participant> parseParticipants(const QByteArray &yamlOrJson, const QString &origin, Issues *issues)
{
    Issues local;
    Reader reader(origin, issues ? issues : &local);
    std::vector<YAML::Node> docs;
    try {
        docs = YAML::LoadAll(yamlOrJson.toStdString());
    } catch (const YAML::ParserException &e) {
        const int line = Reader::lineOf(e.mark);
        reader.error(kSyntax,
                     QStringLiteral("YAML syntax error at line %1, column %2: %3")
                         .arg(line)
                         .arg(e.mark.column + 1)
                         .arg(QString::fromStdString(e.msg)),
                     line);
        return {};
    } catch (const std::exception &e) {
        reader.error(kSyntax, QStringLiteral("unreadable YAML: %1").arg(QString::fromUtf8(e.what())), 1);
        return {};
    }
    if (docs.empty()) {
        reader.error(kStructure, QStringLiteral("the file is empty; expected a map with a 'participants' list"), 1);
        return {};
    }
    if (docs.size() > 1)
        reader.error(kStructure,
                     QStringLiteral("the file holds %1 YAML documents (separated by '---'); put all participants in one")
                         .arg(docs.size()),
                     Reader::lineOf(docs[1].Mark()));

    QList<Participant> out;
    try {
        out = reader.read(docs.front());
    } catch (const YAML::Exception &e) {
        // Node access should not throw on a parsed tree; keep the promise of no exceptions anyway.
        reader.error(kStructure, QStringLiteral("unreadable participants file: %1").arg(QString::fromUtf8(e.what())), 1);
    }
    if (reader.failed())
        return {};
    qCDebug(lcParticipants) << "read" << out.size() << "participants from" << origin;
    return out;
}

QList<Participant> loadParticipantsFile(const QString &path, Issues *issues)
{
    Issues local;
    Issues *sink = issues ? issues : &local;
    const QFileInfo info(path);
    if (!info.exists()) {
        sink->append(Issue::error(kFileUnreadable, QStringLiteral("participants file %1 does not exist").arg(path), path));
        return {};
    }
    if (info.isDir()) {
        sink->append(Issue::error(kFileUnreadable, QStringLiteral("%1 is a folder, not a participants file").arg(path), path));
        return {};
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        sink->append(Issue::error(kFileUnreadable,
                                  QStringLiteral("cannot read participants file %1: %2").arg(path, file.errorString()), path));
        return {};
    }
    return parseParticipants(file.readAll(), path, sink);
}

} // namespace dipwb::participants
