# SPDX-License-Identifier: GPL-3.0-or-later
# Linux: desktop integration (menu entry, icons, AppStream), manual pages, and the Debian package.
# Debian's Qt is used as installed, so nothing is deployed beside the programs; the package
# depends on the Debian packages that provide what they load.

find_program(DIPWB_RSVG_CONVERT rsvg-convert DOC "renders the PNG icons from the SVG (librsvg2-bin)")
find_program(DIPWB_GZIP gzip REQUIRED)

install(FILES dip-workbench.desktop DESTINATION share/applications)
install(FILES org.dipworkbench.DipWorkbench.metainfo.xml DESTINATION share/metainfo)
install(FILES icons/dip-workbench.svg DESTINATION share/icons/hicolor/scalable/apps)

# PNG icons for the menus and docks that do not draw SVG, rendered from our one drawing.
set(icon_outputs)
if(DIPWB_RSVG_CONVERT)
  foreach(size 16 24 32 48 64 128 256 512)
    set(png ${CMAKE_CURRENT_BINARY_DIR}/icons/${size}x${size}/dip-workbench.png)
    add_custom_command(OUTPUT ${png}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/icons/${size}x${size}
      COMMAND ${DIPWB_RSVG_CONVERT} --width ${size} --height ${size} --output ${png} ${CMAKE_CURRENT_SOURCE_DIR}/icons/dip-workbench.svg
      DEPENDS icons/dip-workbench.svg
      COMMENT "Rendering the ${size}x${size} icon" VERBATIM)
    list(APPEND icon_outputs ${png})
    install(FILES ${png} DESTINATION share/icons/hicolor/${size}x${size}/apps)
  endforeach()
else()
  message(WARNING "rsvg-convert was not found (Debian package librsvg2-bin, see scripts/install-deps.sh): "
                  "the installation gets the scalable icon only, no PNG sizes.")
endif()

# Manual pages and the Debian changelog are installed compressed, without a time stamp in the gzip
# header (-n), so the package is the same whenever it is built.
set(gz_outputs)
file(MAKE_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/man)
function(dipwb_gzip source output)
  add_custom_command(OUTPUT ${output}
    COMMAND ${DIPWB_GZIP} -9 -n -c ${source} > ${output}
    DEPENDS ${source} COMMENT "Compressing ${output}" VERBATIM)
endfunction()
foreach(page dipwb dip-workbench)
  dipwb_gzip(${CMAKE_CURRENT_SOURCE_DIR}/man/${page}.1 ${CMAKE_CURRENT_BINARY_DIR}/man/${page}.1.gz)
  list(APPEND gz_outputs ${CMAKE_CURRENT_BINARY_DIR}/man/${page}.1.gz)
  install(FILES ${CMAKE_CURRENT_BINARY_DIR}/man/${page}.1.gz DESTINATION share/man/man1)
endforeach()

# Debian policy: the copyright file and the changelog of the package live in its doc folder.
string(TIMESTAMP DIPWB_CHANGELOG_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)
configure_file(debian/changelog.in ${CMAKE_CURRENT_BINARY_DIR}/debian/changelog @ONLY)
dipwb_gzip(${CMAKE_CURRENT_BINARY_DIR}/debian/changelog ${CMAKE_CURRENT_BINARY_DIR}/debian/changelog.gz)
list(APPEND gz_outputs ${CMAKE_CURRENT_BINARY_DIR}/debian/changelog.gz)
install(FILES debian/copyright ${CMAKE_CURRENT_BINARY_DIR}/debian/changelog.gz DESTINATION ${DIPWB_DOC_DIR})

add_custom_target(dipwb_install_files ALL DEPENDS ${icon_outputs} ${gz_outputs})

# The Debian package (cpack -G DEB). Shared libraries become dependencies through dpkg-shlibdeps;
# the Qt plugins the programs load at run time are not linked, so the packages that hold them are
# added by name, found by asking dpkg which package owns each plugin of this Qt.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_PACKAGE_NAME dip-workbench)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(DIPWB_PACKAGE_MAINTAINER "DIP Workbench maintainers <maintainers@dip-workbench.invalid>"
  CACHE STRING "Maintainer field of the Debian package")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${DIPWB_PACKAGE_MAINTAINER})
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CMAKE_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
  OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

# QXcbIntegrationPlugin: the window on X11 (and XWayland); QTlsBackendOpenSSLPlugin: QSslSocket
# for serve --tls, receive --tls and https webhooks. No Qt SQL driver: the store uses SQLite directly.
find_program(DIPWB_DPKG_QUERY dpkg-query)
# The Debian package that owns a file, or "" (no dpkg, or a file of no package: a Qt of one's own).
function(dipwb_debian_owner path out)
  set(owner "")
  if(DIPWB_DPKG_QUERY)
    get_filename_component(path ${path} REALPATH)
    execute_process(COMMAND ${DIPWB_DPKG_QUERY} --search ${path}
      OUTPUT_VARIABLE found RESULT_VARIABLE rc ERROR_QUIET OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(rc EQUAL 0)
      string(REGEX REPLACE ":.*" "" owner "${found}")
    endif()
  endif()
  set(${out} "${owner}" PARENT_SCOPE)
endfunction()

# Debian's Qt does not load its plugins' CMake files with the modules, so they are asked for by name.
find_package(Qt6QXcbIntegrationPlugin CONFIG QUIET HINTS ${Qt6Gui_DIR})
find_package(Qt6QTlsBackendOpenSSLPlugin CONFIG QUIET HINTS ${Qt6Network_DIR})
set(plugin_packages)
foreach(plugin Qt6::QXcbIntegrationPlugin Qt6::QTlsBackendOpenSSLPlugin)
  if(NOT TARGET ${plugin})
    message(WARNING "This Qt has no ${plugin}: the installed programs will lack it (the X11 window or TLS).")
    continue()
  endif()
  get_target_property(path ${plugin} LOCATION)
  dipwb_debian_owner(${path} owner)
  if(owner)
    list(APPEND plugin_packages ${owner})
  elseif(DIPWB_DPKG_QUERY)
    message(WARNING "No Debian package owns ${path}: the Debian package cannot name it as a dependency.")
  endif()
endforeach()
# A plugin in a package the programs already link (on Debian 12 libqxcb.so is in libqt6gui6)
# is covered by dpkg-shlibdeps, versioned; naming it again would only repeat it.
foreach(lib Qt6::Core Qt6::Gui Qt6::Widgets Qt6::Network)
  if(TARGET ${lib})
    get_target_property(path ${lib} LOCATION)
    dipwb_debian_owner(${path} owner)
    if(owner)
      list(REMOVE_ITEM plugin_packages ${owner})
    endif()
  endif()
endforeach()
list(REMOVE_DUPLICATES plugin_packages)
string(REPLACE ";" ", " CPACK_DEBIAN_PACKAGE_DEPENDS "${plugin_packages}")
# Native Wayland windows instead of XWayland when the session has it; fonts for a bare system.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-wayland, fonts-dejavu-core")
