"""The REST API base: errors, permissions, serializer bases, sync, viewsets, exports."""
