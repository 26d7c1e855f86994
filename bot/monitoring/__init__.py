"""Operations: /healthz, /metrics and log formats, served beside the webhook or on a side port."""
