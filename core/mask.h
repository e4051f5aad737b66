/*
 * mask.h — how personal data appears wherever sws prints or stores it.
 *
 * Resident ID numbers keep their first 6 and last 4 characters
 * (110105********123X); mobile numbers their first 3 and last 4
 * (138****5678). Masked values are what the database stores, so no report,
 * log or export can leak more than this.
 */
#ifndef SWS_MASK_H
#define SWS_MASK_H

#include <stddef.h>

/* Writes the masked form of an 18-character ID number into out (19 bytes). */
void sws_mask_id_number(const char *id, char out[19]);

/* Writes the masked form of an 11-digit mobile number into out (12 bytes). */
void sws_mask_mobile(const char *digits11, char out[12]);

/*
 * Masks, in place, every value in free text that looks like a personal
 * number, whatever it was entered as: an 18-character ID (17 digits and a
 * digit or X) or a 15-digit ID keeps its first 6 and last 4 characters; an
 * 11-digit mobile number (1[3-9]…), also written with spaces or dashes
 * between its digits or after a +86 / 86 prefix ("139 1234 5678",
 * "+86-139-1234-5678"), keeps its first 3 and last 4 digits. A value must
 * stand alone (no digit right before or after it). The text keeps its
 * length. Returns how many values were masked.
 */
int sws_mask_in_place(char *s);
/* Copies text into out (n bytes, cut to fit) with every ID number and
 * mobile number in it masked as sws_mask_in_place does: for log lines and
 * messages that may quote what a user typed. */
void sws_mask_text(const char *text, char *out, size_t n);

/* Masks, in place, every ID number (17 digits and a digit or X) and every
 * mobile number (1[3-9] and 9 digits) that stands alone (no digit either
 * side) in text[0..len). The length does not change. Returns how many
 * numbers were masked. */
size_t sws_mask_numbers_in(char *text, size_t len);

/* Writes the masked form of a person's name into out (n bytes): the first
 * character (UTF-8) followed by one '*' per further character ("张*",
 * "欧阳**"). */
void sws_mask_name(const char *name, char *out, size_t n);

/* Writes the masked form of an address into out (n bytes): the first 6
 * characters (UTF-8), then "****" when there was more. */
void sws_mask_address(const char *address, char *out, size_t n);

#endif
