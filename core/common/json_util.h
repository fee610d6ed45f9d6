#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <nlohmann/json.hpp>

namespace dipwb {

using Json = nlohmann::json;
/// An ordered object keeps keys in the order a sender wrote them, so what we store and show is what
/// arrived, and egress writes blocks in schema order.
using OJson = nlohmann::ordered_json;

inline QString qs(const std::string &s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }
inline std::string ss(const QString &s) { return s.toStdString(); }
inline QByteArray qb(const std::string &s) { return QByteArray(s.data(), qsizetype(s.size())); }

/// The string at key of an object, or an empty string when absent or not a string.
QString stringAt(const OJson &object, const char *key);
/// A JSON array of the strings, in order.
OJson jsonStrings(const QStringList &list);
/// Appends s as a JSON string (quoted, escaped as nlohmann's dump() does) to out: for documents
/// written by hand on the hot path, without building a JSON value first.
void appendJsonString(QByteArray &out, QStringView s);
void appendJsonString(QByteArray &out, std::string_view utf8);
/// Appends value as compact JSON, byte for byte what value.dump() gives, for values whose strings
/// are valid UTF-8 (everything parsed or built from QString is): about three times faster, because
/// strings are copied rather than decoded.
void appendCompactJson(QByteArray &out, const OJson &value);
/// Short type name for error texts: "a string", "null", "an array"...
QString jsonTypeName(const OJson &value);

} // namespace dipwb
