#pragma once

#include <QString>

namespace dipwb::install {

/// The environment variable that names the bundled packs folder, for a relocated installation
/// or a packs checkout of one's own.
inline constexpr char kPacksDirVariable[] = "DIPWB_PACKS_DIR";

/// The folder of the scenario packs shipped with the product. The first that applies wins:
/// 1. $DIPWB_PACKS_DIR when set and not empty, as given (even if it does not exist, so that a
///    mistyped folder is reported by whoever reads it instead of being replaced silently);
/// 2. <program dir>/../share/dip-workbench/testpacks: installed on Linux (/usr/bin -> /usr/share)
///    and on Windows (the same layout under the installation folder);
/// 3. <program dir>/../Resources/testpacks: inside a macOS application bundle;
/// 4. the source tree's testpacks/ this build was configured from: a program run from its build tree.
/// Empty when none of 2-4 exists. Needs a QCoreApplication (for the program's folder).
QString bundledPacksDir();

/// The same rule on explicit inputs, so it can be checked without moving a program around.
QString bundledPacksDir(const QString &overrideDir, const QString &programDir, const QString &sourceTreePacksDir);

/// The source tree's testpacks/ folder recorded at configure time.
QString sourceTreePacksDir();

} // namespace dipwb::install
