-- Names are reserved across kinds (dev.shoal.gateway.user.service.NameReservations): Code Storage
-- repositories live under their issuer's name, so no organization or user may hold it. Lookups are
-- case-insensitive like those of orgs and users. Rows from before the rule that collide are left as
-- they are: an organization shadowed by an issuer is no longer found by name (OrgRepository.byName),
-- so it owns nothing of the issuer's; a site administrator can rename one side.
CREATE INDEX storage_issuers_lower_name ON storage_issuers (lower(name));
