"""Rendering with rich: everything the user sees. The engine never prints; these modules do."""
