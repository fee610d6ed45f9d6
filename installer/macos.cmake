# SPDX-License-Identifier: GPL-3.0-or-later
# macOS: a disk image (cpack -G DragNDrop) holding dip-workbench.app. macdeployqt copies the Qt
# frameworks and plugins (platforms/libqcocoa.dylib, tls/) and the other dylibs the programs link
# into the bundle. dipwb goes inside the bundle too, so that it finds the packs in
# Contents/Resources and loads the same frameworks.
# Not built on the Debian machines of this project: see docs/install.md.

if(NOT TARGET Qt6::macdeployqt)
  message(FATAL_ERROR "macdeployqt was not found with this Qt: the disk image would miss the Qt frameworks.")
endif()

install(TARGETS dipwb RUNTIME DESTINATION dip-workbench.app/Contents/MacOS)
# app/cli installs dipwb into bin/ for the other platforms; the disk image shows the bundle alone.
install(CODE [[file(REMOVE_RECURSE "$ENV{DESTDIR}${CMAKE_INSTALL_PREFIX}/bin")]])

# -executable: macdeployqt rewrites the library paths of the bundle's main program by itself,
# of dipwb only when named.
install(CODE "
  set(app \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/dip-workbench.app\")
  execute_process(COMMAND \"$<TARGET_FILE:Qt6::macdeployqt>\" \"\${app}\"
                          \"-executable=\${app}/Contents/MacOS/$<TARGET_FILE_NAME:dipwb>\" -always-overwrite
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR \"macdeployqt failed (\${rc})\")
  endif()
")

set(CPACK_GENERATOR DragNDrop)
set(CPACK_DMG_VOLUME_NAME "DIP Workbench")
set(CPACK_DMG_FORMAT UDZO)
