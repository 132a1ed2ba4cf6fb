# Helpers shared by every CMakeLists.txt in the project.

# hub_enable_warnings(target): the project's warning set, warnings are errors.
function(hub_enable_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wconversion -Wpedantic -Werror
                                           -Wno-error=deprecated-declarations
                                           # g++ 12 reports false positives through std::optional.
                                           -Wno-maybe-uninitialized
                                           # g++ 12 at -O3 (Release) reports false positives
                                           # on std::string concatenation (GCC bug 105329).
                                           -Wno-restrict
                                           # C++20 designated initializers rely on defaults.
                                           -Wno-missing-field-initializers)
endfunction()

# hub_add_library(NAME name SOURCES ... PUBLIC_DEPS ... PRIVATE_DEPS ...)
# One static library per folder, named hub_<folder> with a hub::<folder> alias.
function(hub_add_library)
  cmake_parse_arguments(ARG "" "NAME" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(hub_${ARG_NAME} STATIC ${ARG_SOURCES})
  add_library(hub::${ARG_NAME} ALIAS hub_${ARG_NAME})
  target_include_directories(hub_${ARG_NAME} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(hub_${ARG_NAME} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  hub_enable_warnings(hub_${ARG_NAME})
endfunction()
