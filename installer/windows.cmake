# SPDX-License-Identifier: GPL-3.0-or-later
# Windows: an NSIS installer (cpack -G NSIS, the default here) or an MSI (cpack -G WIX), both from
# the same installation folder. windeployqt copies the Qt DLLs and plugins (platforms/qwindows.dll,
# tls/, styles/) next to the programs; the other DLLs they link (yaml-cpp, OpenSSL, SQLite,
# http-parser, QCustomPlot) are found by CMake's runtime dependency scan in DIPWB_RUNTIME_DLL_DIRS.
# Not built on the Debian machines of this project: see docs/install.md.

set(DIPWB_RUNTIME_DLL_DIRS "" CACHE STRING
  "Folders holding the DLLs of the non-Qt dependencies (e.g. <vcpkg>/installed/x64-windows/bin)")
if(NOT TARGET Qt6::windeployqt)
  message(FATAL_ERROR "windeployqt was not found with this Qt: the installer would miss the Qt DLLs.")
endif()

install(CODE "
  set(bin \"\${CMAKE_INSTALL_PREFIX}/bin\")
  execute_process(COMMAND \"$<TARGET_FILE:Qt6::windeployqt>\" --no-translations --dir \"\${bin}\"
                          \"\${bin}/$<TARGET_FILE_NAME:dip-workbench>\" \"\${bin}/$<TARGET_FILE_NAME:dipwb>\"
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR \"windeployqt failed (\${rc})\")
  endif()
  file(GET_RUNTIME_DEPENDENCIES
    EXECUTABLES \"\${bin}/$<TARGET_FILE_NAME:dip-workbench>\" \"\${bin}/$<TARGET_FILE_NAME:dipwb>\"
    RESOLVED_DEPENDENCIES_VAR dlls
    UNRESOLVED_DEPENDENCIES_VAR missing
    DIRECTORIES \"\${bin}\" ${DIPWB_RUNTIME_DLL_DIRS}
    PRE_EXCLUDE_REGEXES \"^api-ms-\" \"^ext-ms-\"
    POST_EXCLUDE_REGEXES \"[Ss]ystem32\")
  if(missing)
    message(FATAL_ERROR \"DLLs not found (add their folder to DIPWB_RUNTIME_DLL_DIRS): \${missing}\")
  endif()
  file(INSTALL \${dlls} DESTINATION \"\${bin}\")
")

set(CPACK_GENERATOR NSIS)
set(CPACK_PACKAGE_EXECUTABLES dip-workbench "DIP Workbench")
set(CPACK_CREATE_DESKTOP_LINKS dip-workbench)
set(CPACK_NSIS_DISPLAY_NAME "DIP Workbench")
set(CPACK_NSIS_PACKAGE_NAME "DIP Workbench")
set(CPACK_NSIS_INSTALLED_ICON_NAME "bin\\\\dip-workbench.exe")
set(CPACK_NSIS_MODIFY_PATH ON)
set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
# WiX: a fixed upgrade code, so that a newer MSI replaces an older one instead of installing beside it.
set(CPACK_WIX_UPGRADE_GUID 6C1F9B52-3E0A-4C8B-9D27-5A41E7B3F0D8)
set(CPACK_WIX_PROGRAM_MENU_FOLDER "DIP Workbench")
