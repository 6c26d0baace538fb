# Debian packages with CPack's DEB generator, from the normal build tree:
#   cpack --config build/CPackConfig.cmake -B OUT_DIR
# CPack rather than debhelper: the install rules (components) already say
# which file goes where, so packages and `cmake --install` cannot disagree,
# and no debian/ tree has to mirror them. The split is Debian's:
#   timd              daemon, timctl, units, sysusers.d entry, config, manuals
#   libtimclientN     the runtime library, named after its SONAME
#   libtimclient-dev  headers, the .so link, timclient.pc, the CMake package
# Versions come from project(VERSION); dependencies on Debian's libraries are
# computed by dpkg-shlibdeps.
set(TIMD_DEB_REVISION 1)
set(TIMD_DEB_VERSION ${PROJECT_VERSION}-${TIMD_DEB_REVISION})
set(TIMD_LIB_PACKAGE libtimclient${PROJECT_VERSION_MAJOR})
set(TIMD_MAINTAINER "timd maintainers <maintainers@users.noreply.r-seed-182822f5.example>")

# Debian's per-package documents: copyright and changelog.Debian.gz in
# /usr/share/doc/PACKAGE. Only the packages carry them (EXCLUDE_FROM_ALL).
function(timd_package_docs component package)
  set(DEB_SOURCE_NAME timd)
  set(DEB_VERSION ${TIMD_DEB_VERSION})
  set(changelog ${CMAKE_CURRENT_BINARY_DIR}/${package}/changelog.Debian)
  configure_file(${CMAKE_CURRENT_SOURCE_DIR}/changelog.Debian.in ${changelog} @ONLY)
  add_custom_command(OUTPUT ${changelog}.gz COMMAND gzip -9nkf ${changelog} DEPENDS ${changelog})
  add_custom_target(${package}_changelog ALL DEPENDS ${changelog}.gz)
  install(FILES ${changelog}.gz ${CMAKE_CURRENT_SOURCE_DIR}/copyright
    DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/${package} COMPONENT ${component} EXCLUDE_FROM_ALL)
endfunction()
timd_package_docs(timd timd)
timd_package_docs(runtime ${TIMD_LIB_PACKAGE})
timd_package_docs(dev libtimclient-dev)

# The example config, /etc/timd/timd.toml, is the operator's to edit.
file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/conffiles "/etc/timd/timd.toml\n")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME timd)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${TIMD_MAINTAINER}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_INSTALL_PREFIX /usr)
# The units, sysusers.d and /etc paths are absolute: stage them under DESTDIR
# (CPACK_INSTALL_PREFIX is then the prefix installed to).
set(CPACK_SET_DESTDIR ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL timd runtime dev)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE ${TIMD_DEB_REVISION})
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)

set(CPACK_DEBIAN_TIMD_PACKAGE_NAME timd)
set(CPACK_DEBIAN_TIMD_PACKAGE_SECTION net)
# postinst runs systemd-sysusers (the account the units run as).
set(CPACK_DEBIAN_TIMD_PACKAGE_DEPENDS "systemd | systemd-standalone-sysusers")
set(CPACK_DEBIAN_TIMD_PACKAGE_CONTROL_EXTRA
  ${CMAKE_CURRENT_BINARY_DIR}/conffiles ${CMAKE_CURRENT_SOURCE_DIR}/postinst ${CMAKE_CURRENT_SOURCE_DIR}/postrm)
set(CPACK_COMPONENT_TIMD_DESCRIPTION "instant-messaging client daemon: TIM C API over XMPP
timd keeps one XMPP account logged in and serves it to local applications
over gRPC on a Unix socket; apps written against Tencent IM's C API use it
through libtimclient, scripts through timctl. The package ships the
systemd units (timd.service, timd.socket, the templates timd@.service,
timd@.socket for several accounts, and user units for a desktop login),
the timd system account and an example /etc/timd/timd.toml.")

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME ${TIMD_LIB_PACKAGE})
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION libs)
# ldconfig runs by dpkg trigger, as Debian wants. CPack would write a
# postinst/postrm calling ldconfig for a package that brings none: these do
# nothing but keep it from doing so.
set(CPACK_DEBIAN_RUNTIME_PACKAGE_CONTROL_EXTRA ${CMAKE_CURRENT_SOURCE_DIR}/libtimclient/triggers
  ${CMAKE_CURRENT_SOURCE_DIR}/libtimclient/postinst ${CMAKE_CURRENT_SOURCE_DIR}/libtimclient/postrm)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)  # acts on the library package only
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")
set(CPACK_COMPONENT_RUNTIME_DESCRIPTION "TIM C API client library backed by the timd daemon
libtimclient is source-compatible with Tencent IM's C API (TIMCloud.h):
the same functions, JSON keys and error codes, served by the local timd
daemon over its Unix socket.")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME libtimclient-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "${TIMD_LIB_PACKAGE} (= ${TIMD_DEB_VERSION})")
set(CPACK_COMPONENT_DEV_DESCRIPTION "TIM C API client library backed by timd: development files
Headers (TIMCloud.h and the rest of Tencent IM's C API), the pkg-config
file timclient.pc and the CMake package timclient for building programs
against libtimclient.")

include(CPack)
