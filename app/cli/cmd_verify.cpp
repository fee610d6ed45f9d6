// SPDX-License-Identifier: GPL-3.0-or-later
#include "commands.h"

#include "evidence/bundle_verify.h"

#include <QCommandLineParser>
#include <QFile>

namespace dipwb::cli {

int verifyCommand(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral(
        "Checks an evidence bundle written by 'dipwb report': the SHA-256 of every file against the manifest, files missing or "
        "added, the journal extract re-hashed row by row up to the manifest's head, and the signature over the manifest.\n"
        "Exit status: 0 intact (and the signature holds, when signed), 1 something was altered (named), 2 wrong options."));
    p.addHelpOption();
    p.addPositionalArgument(QStringLiteral("bundle"), QStringLiteral("The evidence bundle (.zip)."));
    p.addOptions({
        {QStringLiteral("ca"), QStringLiteral("Check the signer's certificate against this CA certificate (PEM) instead of the copy in the bundle."),
         QStringLiteral("file")},
    });
    QStringList full = args;
    full.prepend(QStringLiteral("dipwb verify"));
    if (!p.parse(full)) {
        err() << "dipwb verify: " << p.errorText() << "\n";
        return 2;
    }
    if (p.isSet(QStringLiteral("help"))) {
        out() << p.helpText();
        return 0;
    }
    if (p.positionalArguments().size() != 1) {
        err() << "dipwb verify: name one bundle\n";
        return 2;
    }
    QByteArray ca;
    if (p.isSet(QStringLiteral("ca"))) {
        QFile f(p.value(QStringLiteral("ca")));
        if (!f.open(QIODevice::ReadOnly)) {
            err() << "dipwb verify: cannot read " << f.fileName() << ": " << f.errorString() << "\n";
            return 2;
        }
        ca = f.readAll();
    }
    const evidence::BundleVerification v = evidence::verifyBundle(p.positionalArguments().first(), ca);
    out() << v.text();
    out().flush();
    return v.intact() ? 0 : 1;
}

} // namespace dipwb::cli
