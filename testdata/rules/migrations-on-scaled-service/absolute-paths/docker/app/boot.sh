#!/bin/sh
cd /var/www
php artisan migrate --force
exec php-fpm
