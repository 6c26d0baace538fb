# Renders the unit templates (timd.service.in, timd.socket.in) into the four
# system units: timd.service/.socket (config timd.toml, socket
# /run/timd/timd.sock, state /var/lib/timd) and the templates
# timd@.service/.socket (config INSTANCE.toml, socket /run/timd/INSTANCE.sock,
# state /var/lib/timd/INSTANCE), and the user units in user/. Used by install_service_files.cmake and by
# the tests, standalone:
#   cmake -DUNIT_SOURCE_DIR=systemd -DUNIT_OUTPUT_DIR=out -DTIMD_SBINDIR=/usr/sbin
#         -DTIMD_CONFDIR=/etc/timd -P render_units.cmake
function(timd_render_units source_dir output_dir)
  set(DESCRIPTION_SUFFIX "")
  set(CONFIG_NAME timd)
  set(STATE_DIRECTORY timd)
  set(SOCKET_NAME timd)
  set(SOCKET_UNIT timd.socket)
  set(SERVICE_UNIT timd.service)
  configure_file(${source_dir}/timd.service.in ${output_dir}/timd.service @ONLY)
  configure_file(${source_dir}/timd.socket.in ${output_dir}/timd.socket @ONLY)

  set(DESCRIPTION_SUFFIX " (instance %i)")
  set(CONFIG_NAME %i)
  set(STATE_DIRECTORY timd/%i)
  set(SOCKET_NAME %i)
  set(SOCKET_UNIT timd@%i.socket)
  set(SERVICE_UNIT timd@%i.service)
  configure_file(${source_dir}/timd.service.in ${output_dir}/timd@.service @ONLY)
  configure_file(${source_dir}/timd.socket.in ${output_dir}/timd@.socket @ONLY)

  # The user units (systemctl --user): same names, their own directory.
  configure_file(${source_dir}/user/timd.service.in ${output_dir}/user/timd.service @ONLY)
  configure_file(${source_dir}/user/timd.socket.in ${output_dir}/user/timd.socket @ONLY)
endfunction()

if(CMAKE_SCRIPT_MODE_FILE STREQUAL CMAKE_CURRENT_LIST_FILE)
  timd_render_units(${UNIT_SOURCE_DIR} ${UNIT_OUTPUT_DIR})
endif()
