#!/usr/bin/env python3
"""Reads a workbook with openpyxl, as an accountant's tooling would, and prints JSON:
per sheet its header row, row count, frozen pane, autofilter, chart count, and for every
row the (value, number_format) of each cell. Tests assert on this output."""
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
            "cells": [[[cell.value, cell.number_format] for cell in row] for row in rows[1:]],
        }
    json.dump(result, sys.stdout)

if __name__ == "__main__":
    main(sys.argv[1])
