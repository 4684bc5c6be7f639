# A strong warning set; -Werror only when asked (GPUQ_WERROR=ON), as CI does.
option(GPUQ_WERROR "Treat warnings as errors" OFF)
set(GPUQ_WARNINGS
	-Wall -Wextra -Wshadow -Wpointer-arith -Wcast-qual -Wstrict-prototypes
	-Wmissing-prototypes -Wmissing-declarations -Wwrite-strings -Wformat=2
	-Wformat-security -Wundef -Wvla -Wnull-dereference -Wdouble-promotion
	-Wno-unused-parameter -Wno-sign-compare)
add_compile_options(${GPUQ_WARNINGS})
if(GPUQ_WERROR)
	add_compile_options(-Werror)
endif()
