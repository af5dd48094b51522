#!/usr/bin/env python3
"""Reads a workbook with openpyxl, as an accountant's tooling would, and prints JSON:
per sheet its header row, row count, frozen pane, autofilter, chart count, print setup
(orientation, fit to width, repeated rows), and for every row the (value, number_format,
is_date) of each cell, dates as ISO text. Tests assert on this output."""
import json
import sys

import openpyxl

def main(path):
    workbook = openpyxl.load_workbook(path)
    result = {"sheets": workbook.sheetnames, "detail": {}}
    for sheet in workbook.worksheets:
        rows = list(sheet.iter_rows())
        result["detail"][sheet.title] = {
            "header": [cell.value for cell in rows[0]] if rows else [],
            "header_bold": all(cell.font.bold for cell in rows[0]) if rows else False,
            "rows": len(rows) - 1,
            "freeze": sheet.freeze_panes,
            "autofilter": sheet.auto_filter.ref,
            "charts": len(sheet._charts),
            "orientation": sheet.page_setup.orientation,
            # fitToWidth absent is 1 (ECMA-376's default), which openpyxl reads as None.
            "fit_to_width": (1 if sheet.page_setup.fitToWidth is None else int(sheet.page_setup.fitToWidth))
            if sheet.sheet_properties.pageSetUpPr is not None and sheet.sheet_properties.pageSetUpPr.fitToPage else None,
            "print_title_rows": sheet.print_title_rows,
            "cells": [[[cell.value, cell.number_format, cell.is_date] for cell in row] for row in rows[1:]],
        }
    json.dump(result, sys.stdout, default=lambda value: value.isoformat(sep=" "))

if __name__ == "__main__":
    main(sys.argv[1])
