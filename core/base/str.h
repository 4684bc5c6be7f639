/*
 * Small string helpers shared by the config and theme readers.
 */
#ifndef GPUQ_STR_H
#define GPUQ_STR_H

/*
 * Splits line in place into at most max words separated by blanks; a '#'
 * at the start of a word ends the line.  Returns the count, or -1 when the
 * line has more than max words.  w[i] point into line.
 */
int str_words(char *line, char **w, int max);

#endif
