# timctl's bash completion, generated from timctl's own --help at build time
# (bash_completion.sh), installed where bash-completion loads it on demand.
# Not in sanitizer builds, for the reason manpages.cmake gives.
if(TIMD_SANITIZE)
  return()
endif()
set(TIMCTL_COMPLETION ${CMAKE_CURRENT_BINARY_DIR}/timctl.bash-completion)
add_custom_command(OUTPUT ${TIMCTL_COMPLETION}
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/bash_completion.sh $<TARGET_FILE:timctl> ${TIMCTL_COMPLETION}
  DEPENDS timctl ${CMAKE_CURRENT_SOURCE_DIR}/bash_completion.sh
  COMMENT "bash completion for timctl")
add_custom_target(timctl_bash_completion ALL DEPENDS ${TIMCTL_COMPLETION})
install(FILES ${TIMCTL_COMPLETION} DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/bash-completion/completions
  RENAME timctl COMPONENT timd)
