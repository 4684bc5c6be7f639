# Writes OUT: the theme files of DIR as C strings, so gpuq has its themes
# even when it is not installed.  Run by tui/CMakeLists.txt.
file(GLOB files "${DIR}/*.theme")
list(SORT files)
set(names "")
set(texts "")
foreach(f IN LISTS files)
	get_filename_component(n "${f}" NAME_WE)
	file(READ "${f}" c)
	string(REPLACE "\\" "\\\\" c "${c}")
	string(REPLACE "\"" "\\\"" c "${c}")
	string(REPLACE "?" "\\?" c "${c}")
	string(REPLACE "\n" "\\n\"\n\t\"" c "${c}")
	string(APPEND names "\t\"${n}\",\n")
	string(APPEND texts "\t\"${c}\",\n")
endforeach()
file(WRITE "${OUT}.tmp"
"/* Generated from the files in themes/ by cmake/embed-themes.cmake. */\n"
"#include <stddef.h>\n\n"
"extern const char *const themes_builtin_names[];\n"
"extern const char *const themes_builtin_texts[];\n\n"
"const char *const themes_builtin_names[] = {\n${names}\tNULL\n};\n\n"
"const char *const themes_builtin_texts[] = {\n${texts}\tNULL\n};\n")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT}.tmp")
