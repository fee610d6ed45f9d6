// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/key_hint.h"

#include <QList>

#include <algorithm>

namespace dipwb {

int editDistance(const QString &a, const QString &b)
{
    QList<int> prev(b.size() + 1), cur(b.size() + 1);
    for (int j = 0; j <= b.size(); ++j)
        prev[j] = j;
    for (int i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (int j = 1; j <= b.size(); ++j)
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

QString likelyKey(const QString &key, const QStringList &allowed)
{
    for (const QString &k : allowed)
        if (k.compare(key, Qt::CaseInsensitive) == 0)
            return k;
    for (const QString &k : allowed)
        if (editDistance(k.toLower(), key.toLower()) <= 2)
            return k;
    return {};
}

} // namespace dipwb
