# core/billing.cmake: licenses and subscriptions (see core/billing.h).
target_sources(dbwcore PRIVATE
  core/billing_settings.c
  core/billing_sql.c
  core/billing_model.c
  core/billing_why.c
  core/billing_story.c
  core/action_license.c
)
