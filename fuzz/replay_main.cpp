// SPDX-License-Identifier: GPL-3.0-or-later
// Replays fuzz inputs through a fuzz target without libFuzzer: every file of the directories (or
// the files) given, once each. A crash or a broken invariant aborts, naming the input first.
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cstdint>
#include <cstdio>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
    int replayed = 0;
    for (int i = 1; i < argc; ++i) {
        const QFileInfo arg(QString::fromLocal8Bit(argv[i]));
        QStringList files;
        if (arg.isDir()) {
            for (const QFileInfo &f : QDir(arg.filePath()).entryInfoList(QDir::Files, QDir::Name))
                if (!f.fileName().startsWith(QLatin1Char('.')) && f.fileName() != QLatin1String("README.md"))
                    files << f.filePath();
        } else if (arg.isFile()) {
            files << arg.filePath();
        } else {
            // A target without regressions yet has no directory for them (git keeps no empty ones).
            std::fprintf(stderr, "no inputs at %s\n", argv[i]);
            continue;
        }
        for (const QString &path : files) {
            QFile f(path);
            if (!f.open(QIODevice::ReadOnly)) {
                std::fprintf(stderr, "cannot read %s\n", qPrintable(path));
                return 2;
            }
            const QByteArray bytes = f.readAll();
            std::fprintf(stderr, "replaying %s (%lld bytes)\n", qPrintable(path), static_cast<long long>(bytes.size()));
            LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(bytes.constData()), size_t(bytes.size()));
            ++replayed;
        }
    }
    std::fprintf(stderr, "%d inputs replayed without a failure\n", replayed);
    return replayed > 0 ? 0 : 1;
}
