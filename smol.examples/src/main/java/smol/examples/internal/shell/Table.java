package smol.examples.internal.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * A table of text for the shell: a header and rows of cells, printed in left-aligned columns two spaces
 * apart, each as wide as its widest cell, with no trailing blanks. Not thread-safe; one per command run.
 */
final class Table {
    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    /** A table with these column titles. */
    Table(String... header) {
        this.columns = header.length;
        rows.add(header);
    }

    /**
     * Adds a row; a null cell prints as {@code -}.
     *
     * @throws IllegalArgumentException when the row has not one cell per column
     */
    Table row(Object... cells) {
        if (cells.length != columns) {
            throw new IllegalArgumentException("a row of " + cells.length + " cells in a table of " + columns);
        }
        String[] text = new String[columns];
        for (int i = 0; i < columns; i++) {
            text[i] = cells[i] == null ? "-" : cells[i].toString();
        }
        rows.add(text);
        return this;
    }

    /** Returns true when no row was added beside the header. */
    boolean isEmpty() {
        return rows.size() == 1;
    }

    /** Returns the table, one line per row (header first), each ending with a line separator. */
    @Override
    public String toString() {
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(row[i]);
                if (i < columns - 1) {
                    line.append(" ".repeat(widths[i] - row[i].length() + 2));
                }
            }
            sb.append(line.toString().stripTrailing()).append(System.lineSeparator());
        }
        return sb.toString();
    }
}
