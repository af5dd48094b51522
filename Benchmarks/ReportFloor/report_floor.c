/*
 * `make bench-report`'s floor: a plain C program that writes the same rows and columns as payrecon's
 * report.xlsx through libxlsxwriter (constant-memory mode), reading them from the report's own CSVs,
 * and prints its time. Numeric-looking fields are written as numbers, the rest as strings; no
 * formats, no freeze, no filter: the least any program writing this workbook must do.
 *   report_floor OUT.xlsx SHEET=FILE.csv ...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "xlsxwriter.h"

#define SHEET_ROWS 1048576

/* Reads one RFC 4180 record into fields (NUL-separated in buf); returns the field count, -1 at EOF. */
static int read_record(FILE *in, char *buf, size_t cap, char **fields, int max_fields) {
    int c, n = 0, quoted = 0;
    size_t len = 0;
    fields[0] = buf;
    c = fgetc(in);
    if (c == EOF) return -1;
    for (;; c = fgetc(in)) {
        if (c == EOF) break;
        if (quoted) {
            if (c == '"') {
                int next = fgetc(in);
                if (next == '"') { buf[len++] = '"'; continue; }
                quoted = 0;
                c = next;
            } else { buf[len++] = (char)c; continue; }
        }
        if (c == '"') { quoted = 1; continue; }
        if (c == ',' || c == '\n' || c == EOF) {
            buf[len++] = 0;
            if (n + 1 < max_fields) fields[++n] = buf + len;
            if (c != ',') break;
            continue;
        }
        if (c == '\r') continue;
        if (len + 2 < cap) buf[len++] = (char)c;
    }
    if (c == EOF) { buf[len++] = 0; n++; }
    return n;
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: report_floor OUT.xlsx SHEET=FILE.csv ...\n"); return 64; }
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    lxw_workbook_options options = {.constant_memory = LXW_TRUE};
    lxw_workbook *workbook = workbook_new_opt(argv[1], &options);
    static char buf[1 << 16];
    char *fields[64];
    long total = 0;
    for (int a = 2; a < argc; a++) {
        char *eq = strchr(argv[a], '=');
        if (!eq) return 64;
        *eq = 0;
        FILE *in = fopen(eq + 1, "rb");
        if (!in) { perror(eq + 1); return 2; }
        int part = 1, row = 0, n;
        char name[64];
        lxw_worksheet *sheet = workbook_add_worksheet(workbook, argv[a]);
        char header[1 << 12];
        char *header_fields[64];
        int header_count = read_record(in, buf, sizeof buf, fields, 64);
        size_t used = 0;
        for (int i = 0; i < header_count; i++) {
            size_t l = strlen(fields[i]) + 1;
            memcpy(header + used, fields[i], l);
            header_fields[i] = header + used;
            used += l;
            worksheet_write_string(sheet, 0, i, fields[i], NULL);
        }
        while ((n = read_record(in, buf, sizeof buf, fields, 64)) >= 0) {
            if (n == 1 && fields[0][0] == 0) continue;
            if (++row == SHEET_ROWS) {
                snprintf(name, sizeof name, "%s (%d)", argv[a], ++part);
                sheet = workbook_add_worksheet(workbook, name);
                for (int i = 0; i < header_count; i++) worksheet_write_string(sheet, 0, i, header_fields[i], NULL);
                row = 1;
            }
            for (int i = 0; i < n; i++) {
                if (fields[i][0] == 0) continue;
                char *rest;
                double value = strtod(fields[i], &rest);
                if (*rest == 0 && rest != fields[i]) worksheet_write_number(sheet, row, i, value, NULL);
                else worksheet_write_string(sheet, row, i, fields[i], NULL);
            }
            total++;
        }
        fclose(in);
    }
    lxw_error error = workbook_close(workbook);
    clock_gettime(CLOCK_MONOTONIC, &end);
    if (error) { fprintf(stderr, "report_floor: %s\n", lxw_strerror(error)); return 2; }
    printf("C floor (libxlsxwriter, constant memory): %ld rows in %.2f s\n", total,
           (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9);
    return 0;
}
