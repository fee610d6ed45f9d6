// SPDX-License-Identifier: GPL-3.0-or-later
#include "envelope/message_check.h"

#include "schema/schema_set.h"

#include <QHash>

#include <vector>

// The last Level-1 check: the payload against the schema of its (channel, event, version) in the
// specification version the emulator pins. Its failures are MSG1001, like the real DIP's.
namespace dipwb::envelope::detail {

namespace {

// A schema and every allOf/anyOf/oneOf branch under it: the places a member may be declared.
void collectBranches(const OJson &schema, std::vector<const OJson *> *out)
{
    if (!schema.is_object())
        return;
    out->push_back(&schema);
    for (const char *keyword : {"allOf", "anyOf", "oneOf"}) {
        const auto it = schema.find(keyword);
        if (it != schema.end() && it->is_array())
            for (const OJson &branch : *it)
                collectBranches(branch, out);
    }
}

// The DIP does not enforce field-name case on ingress (DOMAIN.md 3), but the schemas name every
// field exactly. So before a payload is judged, each key that matches exactly one declared member
// apart from its case takes the schema's casing; the message is then stored and delivered in it.
// Returns whether anything was renamed.
bool adoptSchemaCase(OJson &value, const OJson &schema)
{
    std::vector<const OJson *> branches;
    collectBranches(schema, &branches);
    bool renamed = false;
    if (value.is_array()) {
        for (const OJson *b : branches) {
            const auto items = b->find("items");
            if (items != b->end() && items->is_object())
                for (OJson &item : value)
                    renamed |= adoptSchemaCase(item, *items);
        }
        return renamed;
    }
    if (!value.is_object())
        return false;

    std::vector<std::string> declared;
    for (const OJson *b : branches) {
        const auto props = b->find("properties");
        if (props != b->end() && props->is_object())
            for (auto it = props->begin(); it != props->end(); ++it)
                declared.push_back(it.key());
    }
    auto isDeclared = [&](const std::string &k) { return std::find(declared.begin(), declared.end(), k) != declared.end(); };
    OJson rebuilt = OJson::object();
    for (auto &kv : value.get_ref<OJson::object_t &>()) {
        std::string key = kv.first;
        if (!isDeclared(key)) {
            const std::string *match = nullptr;
            int matches = 0;
            for (const std::string &d : declared)
                if (equalsNoCase(d, key) && (!match || *match != d)) {
                    match = &d;
                    ++matches;
                }
            if (matches == 1 && !value.contains(*match)) {
                key = *match;
                renamed = true;
            }
        }
        rebuilt[key] = std::move(kv.second);
    }
    value = std::move(rebuilt);
    for (auto it = value.begin(); it != value.end(); ++it)
        for (const OJson *b : branches) {
            const auto props = b->find("properties");
            if (props == b->end() || !props->is_object())
                continue;
            const auto sub = props->find(it.key());
            if (sub != props->end())
                renamed |= adoptSchemaCase(it.value(), *sub);
        }
    return renamed;
}

bool mayBeCase(const QList<schema::ValidationError> &errors)
{
    for (const schema::ValidationError &e : errors)
        if (e.rule == QLatin1String("additionalProperties") || e.rule == QLatin1String("required"))
            return true;
    return false;
}

} // namespace

void MessageCheck::checkPayloadSchema()
{
    const schema::SchemaSet &set = *m_ctx.schemas;
    const schema::SchemaKey key{m_m.interfaceId, m_m.eventCode, m_m.schemaVersion};
    if (!set.has(key)) {
        QStringList known;
        for (const schema::ImportedEvent &e : set.events())
            if (e.channel == m_m.interfaceId)
                known << e.eventCode + QLatin1Char(' ') + e.schemaVersion;
        schema(QStringLiteral("CommonBlock.S0"),
               QStringLiteral("specification %1 has no payload schema for %2 %3 version \"%4\" (%5)")
                   .arg(set.specVersion(), m_m.interfaceId, m_m.eventCode, m_m.schemaVersion,
                        known.isEmpty() ? QStringLiteral("it has no events of %1").arg(m_m.interfaceId)
                                        : QStringLiteral("its %1 events: %2").arg(m_m.interfaceId, known.join(QStringLiteral(", ")))));
        return;
    }
    OJson &payload = m_m.element.begin().value();
    QList<schema::ValidationError> errors = set.validate(key, payload);
    if (!errors.isEmpty() && mayBeCase(errors)) {
        // Only a rejected payload pays for the copy of its schema.
        OJson recased = payload;
        if (adoptSchemaCase(recased, set.jsonSchema(key))) {
            errors = set.validate(key, recased);
            payload = std::move(recased);
        }
    }
    // One failure per field, in the engine's order; several rules broken by one value are joined.
    QStringList fields;
    QHash<QString, QStringList> reasons;
    for (const schema::ValidationError &e : errors) {
        // "payload.CommonBlock.S1.x" -> "CommonBlock.S1.x": fail() puts "payload[i]" in front.
        QString rel = e.path;
        if (rel.startsWith(QLatin1String("payload")))
            rel = rel.mid(7);
        if (rel.startsWith(QLatin1Char('.')))
            rel = rel.mid(1);
        if (!reasons.contains(rel))
            fields << rel;
        QStringList &list = reasons[rel];
        if (!list.contains(e.message))
            list << e.message;
    }
    for (const QString &rel : std::as_const(fields))
        schema(rel, reasons.value(rel).join(QStringLiteral("; ")));
}

} // namespace dipwb::envelope::detail
