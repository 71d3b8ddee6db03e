# tui/console.cmake: the sources of the ncurses console (included by the
# top CMakeLists.txt).  One line per file; a new pane is one more line.
set(DBWARDEN_TUI_SOURCES
  tui/console.c
  tui/app.c
  tui/app_input.c
  tui/colors.c
  tui/help.c
  tui/keys.c
  tui/listview.c
  tui/pane.c
  tui/pane_migrations.c
  tui/pane_migrations_list.c
  tui/pane_migrations_views.c
  tui/pane_migrations_actions.c
  tui/dialog.c
  tui/progress.c
  tui/pane_schema.c
  tui/pane_placeholder.c
  tui/statusbar.c
  tui/table.c
  tui/tabs.c
  tui/text.c
)
