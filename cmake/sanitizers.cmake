# GPUQ_SANITIZE=address,undefined (any list the compiler takes).
set(GPUQ_SANITIZE "" CACHE STRING "Sanitizers to build with, e.g. address,undefined")
if(GPUQ_SANITIZE)
	add_compile_options(-fsanitize=${GPUQ_SANITIZE} -fno-omit-frame-pointer)
	add_link_options(-fsanitize=${GPUQ_SANITIZE})
endif()
