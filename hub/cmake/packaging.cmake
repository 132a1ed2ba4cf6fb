# The Debian package of sghub (cpack -G DEB): sghubd, sghubctl, the adapters, the systemd
# units, an example configuration installed as a conffile, and the runbook. Included at the
# end of the top-level CMakeLists.txt, when every target exists.
#
#   cmake --build build && (cd build && cpack -G DEB)   ->  build/sghub_<version>_<arch>.deb

# `make install` and cpack install what is built instead of first building every target
# (tests and benchmarks included): build first, as the line above does. This keeps the
# package test fast and lets it run in a build tree where only the shipped programs exist.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

# Adapters install into /usr/bin beside sghubctl, when their targets are part of the build.
foreach(adapter nhs_mh council police)
  if(TARGET sghub-adapter-${adapter})
    install(TARGETS sghub-adapter-${adapter} RUNTIME DESTINATION bin)
  endif()
endforeach()

set(HUB_DEPLOY_DIR ${PROJECT_SOURCE_DIR}/deploy)
# The units go where Debian 12's systemd looks for packaged units.
install(FILES ${HUB_DEPLOY_DIR}/systemd/sghubd.service
              ${HUB_DEPLOY_DIR}/systemd/sghub-adapter@.service
        DESTINATION /lib/systemd/system)
# The configuration: a conffile (deploy/debian/conffiles), so dpkg never overwrites an edited
# copy; it asks, or installs the new one beside it as .dpkg-dist.
install(FILES ${HUB_DEPLOY_DIR}/config/sghubd.toml.example
        DESTINATION /etc/sghub RENAME sghubd.toml)
install(DIRECTORY DESTINATION /etc/sghub/adapters)
install(FILES ${HUB_DEPLOY_DIR}/config/sghubd.toml.example
        DESTINATION share/doc/sghub/examples)
install(DIRECTORY ${HUB_DEPLOY_DIR}/config/adapters/
        DESTINATION share/doc/sghub/examples/adapters)
foreach(doc operations security architecture configuration policy protocol wire_format)
  if(EXISTS ${PROJECT_SOURCE_DIR}/docs/${doc}.md)
    install(FILES ${PROJECT_SOURCE_DIR}/docs/${doc}.md DESTINATION share/doc/sghub)
  endif()
endforeach()

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "sghub")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "sghub maintainers <sghub@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "secure hub for adult-safeguarding alerts")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "net")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "secure hub for adult-safeguarding alerts\n sghubd relays end-to-end sealed, signed safeguarding alerts between NHS mental\n health trusts, councils and police over CurveZMQ, enforces the consent policy,\n tracks every alert until an outcome is recorded and keeps a hash-chained audit\n trail. Includes sghubctl, the agency adapters and hardened systemd units.")
# Library dependencies come from the binaries themselves; adduser is for postinst.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${HUB_DEPLOY_DIR}/debian/conffiles
    ${HUB_DEPLOY_DIR}/debian/postinst
    ${HUB_DEPLOY_DIR}/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# The package holds release binaries: debug info stays in the build tree.
set(CPACK_STRIP_FILES ON)
include(CPack)
