from datetime import timedelta

# An IV may check in this long before the planned start (arriving early, travelling together).
CHECK_IN_EARLIEST = timedelta(hours=3)
