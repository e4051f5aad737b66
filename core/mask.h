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

/* Copies text into out (n bytes, cut to fit) with every ID number and
 * mobile number in it masked as above: for log lines and messages that may
 * quote what a user typed. */
void sws_mask_text(const char *text, char *out, size_t n);

#endif
